/**
 * What an empty table says, in the theme's secondary text colour: antd's placeholder grey (#bfbfbf, 1.8:1 on white)
 * fails WCAG AA, which axe-core reports as serious.
 */
import { Empty, Typography } from 'antd';

export function EmptyText({ text }: { text: string }) {
  return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={<Typography.Text type="secondary">{text}</Typography.Text>} />;
}
