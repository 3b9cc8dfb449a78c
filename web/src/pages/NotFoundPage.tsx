import { Button, Result } from 'antd';
import { Link } from 'react-router';

export function NotFoundPage() {
  return (
    <Result
      status="404"
      title="页面不存在"
      subTitle="该页面不存在，或当前角色无权查看。"
      extra={
        <Link to="/">
          <Button type="primary">返回总览</Button>
        </Link>
      }
    />
  );
}
