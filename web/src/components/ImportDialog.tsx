/**
 * Importing a spreadsheet (XLSX or CSV) of one kind — loans, loan events, or an input of the yearly runs — as a clerk
 * does it: download the template, fill it in Excel, upload it. All or nothing: when the service refuses, every
 * problem is listed with the row and column the spreadsheet shows and a Chinese message, and the same sheet with the
 * bad cells marked red can be downloaded, fixed and uploaded again.
 *
 * Reusable on any page: `<ImportDialog kinds={['contributions']} … />`; with several kinds the clerk picks one.
 */
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { Alert, Button, Modal, Radio, Space, Spin, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { api, idempotencyKey, networkProblem, type Problem } from '../api/client';
import { download, saveBlob } from '../api/download';
import { useCan } from '../auth/session';
import { problemDetail, problemTitle } from '../forms/problem';
import { fieldLabel, fieldMessageZh } from '../catalogue';
import { IMPORT_KIND_INFO, type ImportKind } from './importKinds';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

type RowError = NonNullable<Problem['errors']>[number];
export interface ImportResult {
  count: number;
  ids: string[];
  unchanged?: number;
}

interface ChosenFile {
  name: string;
  body: ArrayBuffer | string;
  type: string;
  /** A CSV saved by Excel in GBK (its default for "CSV") was read as such and is sent as UTF-8. */
  readAsGbk: boolean;
}

/** An XLSX as bytes; a CSV as text, UTF-8 if it is, else GB 18030 (what Chinese Excel writes for plain "CSV"). */
async function readChosen(file: File): Promise<ChosenFile> {
  if (/\.xlsx$/i.test(file.name)) return { name: file.name, body: await file.arrayBuffer(), type: XLSX_TYPE, readAsGbk: false };
  const bytes = await file.arrayBuffer();
  try {
    return { name: file.name, body: new TextDecoder('utf-8', { fatal: true }).decode(bytes), type: 'text/csv; charset=utf-8', readAsGbk: false };
  } catch {
    return { name: file.name, body: new TextDecoder('gb18030').decode(bytes), type: 'text/csv; charset=utf-8', readAsGbk: true };
  }
}

type RawPost = (path: string, init: unknown) => Promise<{ data?: ImportResult; error?: Problem }>;

function upload(kind: ImportKind, file: ChosenFile, key: string) {
  // The paths are the typed client's own (schema.ts); the body is the file as it is, not JSON.
  return (api.POST as unknown as RawPost)(IMPORT_KIND_INFO[kind].path, {
    body: file.body,
    bodySerializer: (body: unknown) => body,
    headers: { 'Content-Type': file.type },
    // A refused CSV comes back as the marked sheet too (an XLSX always does).
    params: { header: { 'Idempotency-Key': key }, query: { markedSheet: 'true' } },
  });
}

function downloadTemplate(kind: ImportKind, format: 'xlsx' | 'csv') {
  return download(
    () => api.GET('/api/v1/imports/templates/{kind}', { params: { path: { kind }, query: { format } }, parseAs: 'blob' }),
    `${IMPORT_KIND_INFO[kind].title}导入模板.${format}`,
  );
}

function saveMarkedSheet(sheet: NonNullable<Problem['markedSheet']>) {
  const bytes = Uint8Array.from(atob(sheet.base64), (character) => character.charCodeAt(0));
  saveBlob(new Blob([bytes], { type: sheet.contentType }), sheet.fileName);
}

export function ImportDialog({
  kinds,
  onClose,
  onImported,
}: {
  kinds: ImportKind[];
  onClose: () => void;
  /** Called once the service has written every row. */
  onImported: (result: ImportResult, kind: ImportKind) => void;
}) {
  const can = useCan();
  const allowed = kinds.filter((kind) => can(IMPORT_KIND_INFO[kind].operation));
  const [kind, setKind] = useState<ImportKind>(allowed[0] ?? kinds[0]!);
  const [file, setFile] = useState<ChosenFile>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem>();
  const [key, setKey] = useState(idempotencyKey);
  const info = IMPORT_KIND_INFO[kind];

  const submit = async () => {
    if (!file) return;
    setBusy(true);
    setProblem(undefined);
    try {
      const { data, error } = await upload(kind, file, key);
      if (data) onImported(data, kind);
      else setProblem(error);
    } catch (failure) {
      setProblem(networkProblem(failure));
    } finally {
      setBusy(false);
    }
  };
  const templateProblem = async (format: 'xlsx' | 'csv') => {
    const refused = await downloadTemplate(kind, format).catch((failure: unknown) => networkProblem(failure));
    if (refused) setProblem(refused);
  };

  const errors = problem?.errors ?? [];
  const rows = new Set(errors.filter((error) => error.row !== undefined).map((error) => error.row)).size;
  return (
    <Modal
      open
      width={880}
      title={`导入${info.title}`}
      onCancel={onClose}
      footer={[
        <Button key="cancel" onClick={onClose}>
          取消
        </Button>,
        <Button key="submit" type="primary" disabled={!file} loading={busy} onClick={submit} data-operation={info.operation}>
          导入
        </Button>,
      ]}
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        {allowed.length > 1 && (
          <Radio.Group
            aria-label="导入内容"
            value={kind}
            onChange={(event) => {
              setKind(event.target.value as ImportKind);
              setProblem(undefined);
              setKey(idempotencyKey());
            }}
            options={allowed.map((value) => ({ value, label: IMPORT_KIND_INFO[value].title }))}
          />
        )}
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          {info.description}
        </Typography.Paragraph>
        <Space wrap>
          <Button icon={<DownloadOutlined />} onClick={() => void templateProblem('xlsx')}>
            下载模板（Excel）
          </Button>
          <Button type="link" onClick={() => void templateProblem('csv')}>
            CSV 模板
          </Button>
        </Space>
        <Typography.Text type="secondary">
          在模板中从第 2 行起每行填一条后上传（.xlsx 或 .csv）。金额可带千位分隔符，日期可写 2026-10-10、2026/10/10 或用 Excel 日期格式。全部行无误才会导入，任何一行有误则一行也不导入。
        </Typography.Text>
        <Upload.Dragger
          accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          maxCount={1}
          showUploadList={false}
          beforeUpload={(chosen) => {
            void readChosen(chosen).then((read) => {
              setFile(read);
              setProblem(undefined);
              setKey(idempotencyKey());
            });
            return false;
          }}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p>{file ? `已选择 ${file.name}` : '点击或拖入 Excel（.xlsx）或 CSV 文件'}</p>
          {file?.readAsGbk && <p>这个 CSV 是 GBK 编码，已按 GBK 读取。</p>}
        </Upload.Dragger>
        {busy && (
          <Spin description="正在导入，大文件需要几秒钟…">
            <div style={{ height: 40 }} />
          </Spin>
        )}
        {problem && (
          <Alert
            type="error"
            showIcon
            role="alert"
            title={rows > 0 ? `${rows} 行有误，未导入任何一行` : problemTitle(problem)}
            description={
              errors.length > 0
                ? '请按下表改正后重新上传；也可下载标出错误单元格的表格，在其中改正。'
                : (problem.detailZh ?? problemDetail(problem))
            }
            action={
              problem.markedSheet && (
                <Button size="small" danger icon={<DownloadOutlined />} onClick={() => saveMarkedSheet(problem.markedSheet!)}>
                  下载标注错误的表格
                </Button>
              )
            }
          />
        )}
        {errors.length > 0 && (
          <Table<RowError>
            size="small"
            aria-label="导入问题"
            rowKey={(error) => `${error.row ?? ''}:${error.sheetRow ?? ''}:${error.path}:${error.message}`}
            dataSource={errors}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            columns={[
              { title: '行', key: 'row', width: 70, render: (_, error) => error.sheetRow ?? error.row ?? '—' },
              { title: '列', key: 'column', width: 190, render: (_, error) => (error.column ? (/^[A-Za-z]+$/.test(error.column) ? fieldLabel(error.column) : error.column) : error.path === '(header)' ? '列名' : '—') },
              { title: '单元格', dataIndex: 'cell', width: 80, render: (cell?: string) => cell ?? '—' },
              { title: '问题', key: 'message', render: (_, error) => error.messageZh ?? fieldMessageZh(error.message) },
            ]}
          />
        )}
      </Space>
    </Modal>
  );
}
