/**
 * A run line's enterprise by name, opening its file (/enterprises/:uscc): the names of a page's enterprises are read
 * once per page (GET /api/v1/enterprises/{uscc}), the USCC shown until they arrive.
 */
import { createContext, useContext, type ReactNode } from 'react';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { useLoad } from '../../api/useLoad';

const Names = createContext<ReadonlyMap<string, string>>(new Map());

export function EnterpriseNames({ usccs, children }: { usccs: string[]; children: ReactNode }) {
  const unique = [...new Set(usccs)].sort();
  const names = useLoad(async () => {
    const answers = await Promise.all(unique.map((uscc) => api.GET('/api/v1/enterprises/{uscc}', { params: { path: { uscc } } })));
    return { data: new Map(answers.flatMap((answer) => (answer.data ? [[answer.data.uscc, answer.data.name] as const] : []))) };
  }, [unique.join(',')]);
  return <Names.Provider value={names.data ?? new Map()}>{children}</Names.Provider>;
}

/** `name` (when the answer carries it) is shown before any name read here; the USCC on hover. */
export function EnterpriseLink({ uscc, year, name }: { uscc: string | null; year?: number; name?: string | null | undefined }) {
  const names = useContext(Names);
  if (!uscc) return <>—</>;
  return (
    <Link to={`/enterprises/${uscc}${year ? `?year=${year}&tab=subsidy` : ''}`} title={`统一社会信用代码 ${uscc}`}>
      {name || names.get(uscc) || uscc}
    </Link>
  );
}
