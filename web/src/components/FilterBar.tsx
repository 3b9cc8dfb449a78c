/**
 * The row above a list: its filters on the left, the page's actions (登记…, 导入…) on the right, wrapping on a
 * narrow screen. Two kinds of filter, as the lists need them:
 * - with `onApply`, an inline form whose fields apply together with 筛选 (a list filtered by several fields at once);
 * - with `onValuesChange`, an inline form whose fields apply as they change (a year and a status);
 * - with neither, controls of the page's own that apply as they change (a status select, a search box).
 */
import { Button, Form, Space, type FormInstance } from 'antd';
import type { ReactNode } from 'react';

export interface FilterBarProps<Values> {
  children: ReactNode;
  /** Actions shown at the right end of the row. */
  extra?: ReactNode;
  /** The form's values, applied with 筛选. */
  onApply?: (values: Values) => void;
  /** The form's values, applied as each field changes (no 筛选). */
  onValuesChange?: (values: Values) => void;
  form?: FormInstance<Values>;
  /** The form's name (with onApply). */
  name?: string;
  initialValues?: Partial<Values>;
  applyText?: string;
  /** The answer to the last 筛选 is on its way. */
  applying?: boolean;
}

export function FilterBar<Values>({
  children,
  extra,
  onApply,
  onValuesChange,
  form,
  name,
  initialValues,
  applyText = '筛选',
  applying,
}: FilterBarProps<Values>) {
  const filters = onValuesChange ? (
    <Form<Values> name={name} form={form} layout="inline" onValuesChange={(_, values) => onValuesChange(values)} initialValues={initialValues} style={{ rowGap: 8 }}>
      {children}
    </Form>
  ) : onApply ? (
    <Form<Values> name={name} form={form} layout="inline" onFinish={onApply} initialValues={initialValues} style={{ rowGap: 8 }}>
      {children}
      <Button type="primary" htmlType="submit" loading={applying}>
        {applyText}
      </Button>
    </Form>
  ) : (
    <Space wrap>{children}</Space>
  );
  return (
    <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'flex-start', flexWrap: 'wrap', gap: 8, marginBottom: 16 }}>
      {filters}
      {extra && <Space wrap>{extra}</Space>}
    </div>
  );
}
