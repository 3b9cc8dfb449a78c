import { LogoutOutlined } from '@ant-design/icons';
import { Button, Layout, Menu, Space, Typography } from 'antd';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { useMe, useSession } from '../auth/session';
import { label, ROLE_LABELS, FUNDING_BODY_LABELS } from '../format/labels';
import type { ConsolePage } from '../pages';
import { StatusTag } from './StatusTag';

export function ConsoleLayout({ pages }: { pages: ConsolePage[] }) {
  const me = useMe();
  const { signOut } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const selected = pages.find((page) => page.path !== '/' && location.pathname.startsWith(page.path))?.path ?? '/';

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {/* One width on every page: the menu never gives way to a wide table, which scrolls inside the content instead. */}
      <Layout.Sider breakpoint="lg" collapsedWidth={0} theme="light" width={200} style={{ flex: '0 0 200px' }}>
        <div style={{ padding: '16px 20px', fontWeight: 600, fontSize: 15 }}>知识产权质押融资</div>
        <nav aria-label="主导航">
          <Menu
            mode="inline"
            selectedKeys={[selected]}
            items={pages.map((page) => ({ key: page.path, icon: page.icon, label: page.title }))}
            onClick={({ key }) => navigate(key)}
          />
        </nav>
      </Layout.Sider>
      <Layout style={{ minWidth: 0 }}>
        <Layout.Header style={{ background: '#fff', padding: '0 24px', display: 'flex', justifyContent: 'flex-end' }}>
          <Space>
            <Typography.Text>{me.name}</Typography.Text>
            <StatusTag tone="info">{ROLE_LABELS[me.role]}</StatusTag>
            {me.body && <StatusTag tone="muted">{label(FUNDING_BODY_LABELS, me.body)}</StatusTag>}
            <Button icon={<LogoutOutlined />} onClick={signOut}>
              退出
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ margin: 24 }} role="main">
          <Outlet />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
