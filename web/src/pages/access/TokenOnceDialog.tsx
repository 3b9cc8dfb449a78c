/** The new principal's token, shown this once: the service keeps only its hash. */
import { Alert, Button, Descriptions, Modal, Typography } from 'antd';
import { ROLE_LABELS } from '../../format/labels';
import type { CreatedPrincipal } from './CreatePrincipalDialog';

export function TokenOnceDialog({ principal, onClose }: { principal: CreatedPrincipal; onClose: () => void }) {
  return (
    <Modal
      open
      title="令牌已生成"
      closable={false}
      mask={{ closable: false }}
      onCancel={onClose}
      footer={
        <Button type="primary" onClick={onClose}>
          我已妥善保存
        </Button>
      }
    >
      <Alert type="warning" showIcon style={{ marginBottom: 16 }} title="令牌只显示这一次" description="服务只保存令牌的摘要，关闭后无法再次查看；遗失只能撤销后重新生成。" />
      <Descriptions column={1} size="small">
        <Descriptions.Item label="名称">{principal.name}</Descriptions.Item>
        <Descriptions.Item label="角色">{ROLE_LABELS[principal.role]}</Descriptions.Item>
        <Descriptions.Item label="令牌">
          <Typography.Text code copyable={{ tooltips: ['复制', '已复制'] }} data-testid="new-token">
            {principal.token}
          </Typography.Text>
        </Descriptions.Item>
      </Descriptions>
    </Modal>
  );
}
