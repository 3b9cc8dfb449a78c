import { KeyOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { ProblemAlert } from '../forms/ProblemAlert';
import { showProblemOnForm, type UnplacedProblem } from '../forms/problem';
import { useSession } from './session';

interface SignInValues {
  token: string;
}

export function SignInPage() {
  const session = useSession();
  const { signIn } = session;
  const reason = session.status === 'signed-out' ? session.reason : undefined;
  const [form] = Form.useForm<SignInValues>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<UnplacedProblem>();

  const submit = async ({ token }: SignInValues) => {
    setBusy(true);
    const refused = await signIn(token.trim());
    setBusy(false);
    // A refused token has no field errors: its detail goes on the token field.
    setProblem(refused ? showProblemOnForm(form, refused, 'token') : undefined);
  };

  return (
    <main style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#f0f2f5' }}>
      <Card style={{ width: 420 }}>
        <Typography.Title level={1} style={{ fontSize: 22 }}>
          知识产权质押融资 · 管理台
        </Typography.Title>
        <Typography.Paragraph type="secondary">
          请输入服务中心发放的访问令牌。令牌只保存在本标签页中，关闭标签页即退出。
        </Typography.Paragraph>
        {reason && !problem && <Alert type="warning" showIcon role="status" style={{ marginBottom: 16 }} title="已退出登录" description={reason} />}
        <ProblemAlert problem={problem} />
        <Form name="signIn" form={form} layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item label="访问令牌" name="token" rules={[{ required: true, whitespace: true, message: '请输入访问令牌' }]}>
            <Input.Password prefix={<KeyOutlined />} autoComplete="off" placeholder="ipl_…" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} block>
            登录
          </Button>
        </Form>
      </Card>
    </main>
  );
}
