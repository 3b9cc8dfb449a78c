/**
 * 导入: the service centre's imports of what the yearly runs need besides loans — local contributions, insurance
 * premiums, exclusions, other support, fees, rate fixings — each from an Excel or CSV template, all or nothing
 * (web/src/components/ImportDialog.tsx; the banks import their loans on the loans page).
 */
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Row, Space, Typography } from 'antd';
import { useState } from 'react';
import { api, networkProblem, type Problem } from '../../api/client';
import { download } from '../../api/download';
import { ImportDialog, type ImportResult } from '../../components/ImportDialog';
import { IMPORT_KIND_INFO, INPUT_IMPORT_KINDS, type ImportKind } from '../../components/importKinds';
import { OperationButton } from '../../components/OperationButton';
import { PageTitle } from '../../components/PageTitle';
import { problemDetail, problemTitle } from '../../forms/problem';

export default function ImportsPage() {
  const [open, setOpen] = useState<ImportKind>();
  const [done, setDone] = useState<{ kind: ImportKind; result: ImportResult }>();
  const [problem, setProblem] = useState<Problem>();

  const template = async (kind: ImportKind) => {
    setProblem(undefined);
    const refused = await download(
      () => api.GET('/api/v1/imports/templates/{kind}', { params: { path: { kind }, query: { format: 'xlsx' } }, parseAs: 'blob' }),
      `${IMPORT_KIND_INFO[kind].title}导入模板.xlsx`,
    ).catch((failure: unknown) => networkProblem(failure));
    if (refused) setProblem(refused);
  };

  return (
    <>
      <PageTitle>导入</PageTitle>
      <Typography.Paragraph type="secondary">
        补助计算所需的各项数据可用 Excel 模板成批导入：下载模板，从第 2 行起每行填一条，上传。全部行无误才会导入；有误时逐行列出问题，并可下载标出错误单元格的同一表格。
      </Typography.Paragraph>
      {done && (
        <Alert
          type="success"
          showIcon
          role="status"
          closable={{ onClose: () => setDone(undefined) }}
          style={{ marginBottom: 16 }}
          title={`${IMPORT_KIND_INFO[done.kind].title}：已导入 ${done.result.count} 行${done.result.unchanged ? `，另有 ${done.result.unchanged} 行此前已登记，未重复记录` : ''}`}
        />
      )}
      {problem && <Alert type="error" showIcon role="alert" style={{ marginBottom: 16 }} title={problemTitle(problem)} description={problemDetail(problem)} />}
      <Row gutter={[16, 16]}>
        {INPUT_IMPORT_KINDS.map((kind) => {
          const info = IMPORT_KIND_INFO[kind];
          return (
            <Col key={kind} xs={24} lg={12} xxl={8}>
              <Card title={info.title} style={{ height: '100%' }} data-import-kind={kind}>
                <Typography.Paragraph>{info.description}</Typography.Paragraph>
                <Space>
                  <OperationButton operation={info.operation} type="primary" icon={<UploadOutlined />} onClick={() => setOpen(kind)} aria-label={`导入${info.title}`}>
                    导入
                  </OperationButton>
                  <Button icon={<DownloadOutlined />} onClick={() => void template(kind)} aria-label={`下载模板（${info.title}）`}>
                    下载模板
                  </Button>
                </Space>
              </Card>
            </Col>
          );
        })}
      </Row>
      {open && (
        <ImportDialog
          kinds={[open]}
          onClose={() => setOpen(undefined)}
          onImported={(result, kind) => {
            setOpen(undefined);
            setDone({ kind, result });
          }}
        />
      )}
    </>
  );
}
