/**
 * The inputs of a policy's parameters, one per parameter of the schema (parameters.ts), each with its unit, the clause
 * it comes from and the reading taken (interpretation), as the current version records them. Field names are
 * `['p', <parameter>]`, so a problem naming `parameters.ratio.value` or `changes.ratio` lands on the ratio.
 */
import { Button, Form, Input, InputNumber, Select, Space, Tag } from 'antd';
import type { FormInstance } from 'antd';
import { FUNDING_BODY_LABELS, optionsOf } from '../../format/labels';
import type { Problem } from '../../api/client';
import { fieldMessageZh, fieldProblemZh, problemSentence } from '../../catalogue';
import { interpretationText, parameterDescriptionText, parameterReferenceText } from '../../catalogue/subsidy';
import { CHOICE_LABELS, jsonReading, PARAMETER_LABELS, parameterOfPath, unitOf, type ParameterRecord, type ParameterSpec } from './parameters';

/** The control of one parameter; `value` and `onChange` come from its Form.Item and go to the control. */
function ParameterInput({ spec, id, ...control }: { spec: ParameterSpec; id: string; value?: never; onChange?: never }) {
  const input = spec.input;
  switch (input.kind) {
    case 'choice':
      return (
        <Select
          {...control}
          id={id}
          aria-label={PARAMETER_LABELS[spec.name] ?? spec.name}
          allowClear={spec.nullable}
          placeholder={spec.nullable ? '未设置' : undefined}
          options={input.options.map((option) => ({ value: option, label: CHOICE_LABELS[option] ?? option }))}
          style={{ maxWidth: 420 }}
        />
      );
    case 'choices':
      return (
        <Select
          {...control}
          id={id}
          mode="multiple"
          aria-label={PARAMETER_LABELS[spec.name] ?? spec.name}
          options={input.options.map((option) => ({ value: option, label: CHOICE_LABELS[option] ?? option }))}
          style={{ maxWidth: 420 }}
        />
      );
    case 'integer':
      return <InputNumber {...control} id={id} aria-label={PARAMETER_LABELS[spec.name] ?? spec.name} min={input.minimum} max={input.maximum} precision={0} />;
    case 'text':
      return <Input {...control} id={id} aria-label={PARAMETER_LABELS[spec.name] ?? spec.name} placeholder={spec.nullable ? '未设置（留空）' : undefined} style={{ maxWidth: 240 }} />;
    case 'json':
      return <Input.TextArea {...control} id={id} aria-label={PARAMETER_LABELS[spec.name] ?? spec.name} autoSize={{ minRows: 1, maxRows: 8 }} placeholder="未设置（留空）" style={{ fontFamily: 'monospace' }} />;
    default:
      return null;
  }
}

function SharesInput({ spec }: { spec: ParameterSpec }) {
  const name = PARAMETER_LABELS[spec.name] ?? spec.name;
  return (
    <Form.List name={['p', spec.name]}>
      {(fields, { add, remove }) => (
        <Space direction="vertical">
          {fields.map((field, index) => (
            <Space key={field.key} align="baseline">
              <Form.Item name={[field.name, 'body']} noStyle rules={[{ required: true, message: '请选择出资方' }]}>
                <Select aria-label={`${name}第 ${index + 1} 项出资方`} options={optionsOf(FUNDING_BODY_LABELS)} style={{ width: 120 }} />
              </Form.Item>
              <Form.Item name={[field.name, 'share']} noStyle rules={[{ required: true, pattern: /^\d{1,6}(\.\d{1,12})?$/, message: '请填写比例，如 0.5' }]}>
                <Input aria-label={`${name}第 ${index + 1} 项比例`} placeholder="比例，如 0.5" style={{ width: 140 }} />
              </Form.Item>
              <Button onClick={() => remove(field.name)}>删除</Button>
            </Space>
          ))}
          <Button onClick={() => add({ body: undefined, share: '' })}>添加出资方</Button>
        </Space>
      )}
    </Form.List>
  );
}

function rulesOf(spec: ParameterSpec) {
  const input = spec.input;
  const rules: Array<Record<string, unknown>> = [];
  if (!spec.nullable && input.kind !== 'shares') rules.push({ required: true, message: '必填' });
  if (input.kind === 'text' && input.pattern) {
    rules.push({ pattern: new RegExp(input.pattern), message: input.money ? '请填写金额，如 100000.00' : '请填写小数，如 0.15' });
  }
  return rules;
}

export function ParameterFields({
  specs,
  records,
  baseline,
}: {
  specs: ParameterSpec[];
  /** The parameters as the current version records them (reference, interpretation, unit). */
  records: Record<string, ParameterRecord>;
  /** The current values: a field whose value differs is marked 已修改. */
  baseline?: Record<string, unknown>;
}) {
  return (
    <>
      {specs.map((spec) => {
        const record = records[spec.name];
        const id = `parameter-${spec.name}`;
        return (
          <Form.Item key={spec.name} noStyle shouldUpdate={(a, b) => a.p?.[spec.name] !== b.p?.[spec.name]}>
            {(form) => {
              const changed = baseline !== undefined && JSON.stringify(form.getFieldValue(['p', spec.name]) ?? null) !== JSON.stringify(baseline[spec.name] ?? null);
              const label = (
                <span>
                  {PARAMETER_LABELS[spec.name] ?? spec.name}
                  {changed && (
                    <Tag color="#ad4e00" style={{ marginInlineStart: 8 }}>
                      已修改
                    </Tag>
                  )}
                </span>
              );
              const reading = spec.input.kind === 'json' ? jsonReading(spec.name, form.getFieldValue(['p', spec.name])) : undefined;
              const extra = (
                <div style={{ fontSize: 12 }}>
                  {spec.input.kind === 'json' && <div>以 JSON 结构录入（专业人员修改）{reading ? `；含义：${reading}` : ''}</div>}
                  <div>单位：{unitOf(spec.name, spec)}；参数名 {spec.name}</div>
                  {record && <div>依据：{parameterReferenceText(record.reference)}</div>}
                  {record?.interpretation && <div>解释：{interpretationText({ parameter: spec.name, text: record.interpretation })}</div>}
                  {parameterDescriptionText(spec.name, record?.description) && <div>说明：{parameterDescriptionText(spec.name, record?.description)}</div>}
                </div>
              );
              if (spec.input.kind === 'shares') {
                return (
                  <Form.Item label={label} extra={extra}>
                    <SharesInput spec={spec} />
                  </Form.Item>
                );
              }
              return (
                <Form.Item label={label} extra={extra} name={['p', spec.name]} rules={rulesOf(spec)} htmlFor={id}>
                  <ParameterInput spec={spec} id={id} />
                </Form.Item>
              );
            }}
          </Form.Item>
        );
      })}
    </>
  );
}

/** Puts a problem's errors on the parameter fields they name; returns the messages that name none. */
export function placeParameterProblem(form: FormInstance, problem: Problem, otherFields: Record<string, string> = {}): string[] {
  const unplaced: string[] = [];
  const byField = new Map<string, string[]>();
  const registered = new Set(form.getFieldsError().map(({ name }) => name.map(String).join('.')));
  for (const error of problem.errors ?? []) {
    const parameter = parameterOfPath(error.path);
    const key = parameter ? `p.${parameter}` : otherFields[error.path];
    if (!key || !registered.has(key)) {
      // A parameter is named as the form labels it; any other path by the catalogue's field names.
      const label = parameter ? PARAMETER_LABELS[parameter] : undefined;
      unplaced.push(label ? `${label}：${fieldMessageZh(error.message)}` : fieldProblemZh(error));
      continue;
    }
    byField.set(key, [...(byField.get(key) ?? []), fieldMessageZh(error.message)]);
  }
  form.setFields([...byField.entries()].map(([key, errors]) => ({ name: key.split('.'), errors })));
  if (byField.size === 0 && unplaced.length === 0) unplaced.push(problemSentence(problem));
  return unplaced;
}
