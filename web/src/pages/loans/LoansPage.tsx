import { Route, Routes } from 'react-router';
import { LoanDetail } from './LoanDetail';
import { LoanList } from './LoanList';

/** 贷款: the list at /loans, a loan at /loans/:id. */
export default function LoansPage() {
  return (
    <Routes>
      <Route index element={<LoanList />} />
      <Route path=":id" element={<LoanDetail />} />
    </Routes>
  );
}
