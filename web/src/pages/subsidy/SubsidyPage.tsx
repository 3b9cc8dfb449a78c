import { Route, Routes } from 'react-router';
import { RunDetail } from './RunDetail';
import { RunList } from './RunList';

/** 贴息: the runs at /subsidy, a run at /subsidy/:id. */
export default function SubsidyPage() {
  return (
    <Routes>
      <Route index element={<RunList />} />
      <Route path=":id" element={<RunDetail />} />
    </Routes>
  );
}
