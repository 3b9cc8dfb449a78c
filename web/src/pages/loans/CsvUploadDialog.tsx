/**
 * A bank's CSV upload of loans or loan events (POST /api/v1/loans:batch, /api/v1/loan-events:batch): all or nothing;
 * when refused, every bad row is listed with its field and the API's message.
 */
import { InboxOutlined } from '@ant-design/icons';
import { Alert, Button, Modal, Radio, Space, Spin, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { api, idempotencyKey, networkProblem, type Problem } from '../../api/client';
import { problemTitle } from '../../forms/problem';

type Kind = 'loans' | 'events';
type RowError = NonNullable<Problem['errors']>[number];

/** The columns the API reads (src/loans/csv.ts); pledges as rightType:number[:securedAmount[:registrationNo]];… */
const HEADERS: Record<Kind, string> = {
  loans: 'contractNo,enterpriseUscc,principal,annualRate,startDate,maturityDate,collateral,ipPledgedAmount,pledges',
  events: 'loanId,type,date,amount,periodFrom,periodTo,daysOverdue',
};

function upload(kind: Kind, csv: string, key: string) {
  const init = {
    body: csv as never,
    bodySerializer: (body: unknown) => body as string,
    headers: { 'Content-Type': 'text/csv' },
    params: { header: { 'Idempotency-Key': key } },
  };
  return kind === 'loans' ? api.POST('/api/v1/loans:batch', init) : api.POST('/api/v1/loan-events:batch', init);
}

export function CsvUploadDialog({ onClose, onUploaded }: { onClose: () => void; onUploaded: (count: number) => void }) {
  const [kind, setKind] = useState<Kind>('loans');
  const [file, setFile] = useState<{ name: string; text: string }>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem>();
  const [key, setKey] = useState(idempotencyKey);

  const submit = async () => {
    if (!file) return;
    setBusy(true);
    setProblem(undefined);
    try {
      const { data, error } = await upload(kind, file.text, key);
      if (data) onUploaded(data.count);
      else setProblem(error);
    } catch (failure) {
      setProblem(networkProblem(failure));
    } finally {
      setBusy(false);
    }
  };

  const rowErrors = (problem?.errors ?? []).filter((error): error is RowError & { row: number } => error.row !== undefined);
  return (
    <Modal
      open
      width={760}
      title="上传 CSV"
      onCancel={onClose}
      footer={[
        <Button key="cancel" onClick={onClose}>
          取消
        </Button>,
        <Button key="submit" type="primary" disabled={!file} loading={busy} onClick={submit} data-operation={kind === 'loans' ? 'POST /api/v1/loans:batch' : 'POST /api/v1/loan-events:batch'}>
          导入
        </Button>,
      ]}
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Radio.Group
          value={kind}
          onChange={(event) => {
            setKind(event.target.value as Kind);
            setProblem(undefined);
            setKey(idempotencyKey());
          }}
          options={[
            { value: 'loans', label: '贷款' },
            { value: 'events', label: '放款、还款等事件' },
          ]}
        />
        <Typography.Text type="secondary">
          首行为列名：<Typography.Text code>{HEADERS[kind]}</Typography.Text>。全部行无误才会导入，任何一行有误则一行也不导入。
        </Typography.Text>
        <Upload.Dragger
          accept=".csv,text/csv"
          maxCount={1}
          showUploadList={file ? { showRemoveIcon: false } : false}
          beforeUpload={(chosen) => {
            void chosen.text().then((text) => {
              setFile({ name: chosen.name, text });
              setProblem(undefined);
              setKey(idempotencyKey());
            });
            return false;
          }}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p>{file ? `已选择 ${file.name}` : '点击或拖入 CSV 文件'}</p>
        </Upload.Dragger>
        {busy && <Spin description="正在导入，大文件需要几秒钟…"><div style={{ height: 40 }} /></Spin>}
        {problem && (
          <Alert
            type="error"
            showIcon
            role="alert"
            title={`${problemTitle(problem)}${rowErrors.length > 0 ? `：${new Set(rowErrors.map((e) => e.row)).size} 行有误，未导入任何一行` : ''}`}
            description={rowErrors.length > 0 ? undefined : problem.detail}
          />
        )}
        {rowErrors.length > 0 && (
          <Table<RowError & { row: number }>
            size="small"
            rowKey={(error) => `${error.row}:${error.path}:${error.message}`}
            dataSource={rowErrors}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            columns={[
              { title: '行', dataIndex: 'row', width: 70 },
              { title: '字段', dataIndex: 'path', width: 180 },
              { title: '问题', dataIndex: 'message' },
            ]}
          />
        )}
      </Space>
    </Modal>
  );
}
