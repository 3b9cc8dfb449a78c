import { Tooltip } from 'antd';

/** An enterprise by its name, its USCC on hover (and to screen readers); the USCC alone when no name is known. */
export function EnterpriseName({ name, uscc }: { name: string | null | undefined; uscc: string }) {
  if (!name) return <span>{uscc}</span>;
  return (
    <Tooltip title={`统一社会信用代码 ${uscc}`}>
      <span tabIndex={0} aria-label={`${name}（统一社会信用代码 ${uscc}）`} style={{ borderBottom: '1px dotted currentColor' }}>
        {name}
      </span>
    </Tooltip>
  );
}
