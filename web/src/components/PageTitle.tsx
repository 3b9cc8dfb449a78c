import { Typography } from 'antd';
import { useEffect, type ReactNode } from 'react';

/** The page's heading, also the tab's title. */
export function PageTitle({ children, extra }: { children: string; extra?: ReactNode }) {
  useEffect(() => {
    document.title = `${children} · 知识产权质押融资`;
  }, [children]);
  return (
    <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', marginBottom: 16 }}>
      <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
        {children}
      </Typography.Title>
      {extra}
    </div>
  );
}
