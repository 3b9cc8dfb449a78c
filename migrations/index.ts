/**
 * Every migration, in order. MikroORM applies them from this list (not by scanning a folder), so the same list works
 * from TypeScript under jest and from the compiled service.
 */
import { Migration20261123000001Foundation } from './Migration20261123000001Foundation';
import { Migration20261123000002Ledger } from './Migration20261123000002Ledger';
import { Migration20261123000003Loans } from './Migration20261123000003Loans';
import { Migration20261123000004Subsidy } from './Migration20261123000004Subsidy';
import { Migration20261123000005Fund } from './Migration20261123000005Fund';
import { Migration20261123000006Whitelist } from './Migration20261123000006Whitelist';
import { Migration20261203000100PolicyFidelity } from './Migration20261203000100PolicyFidelity';
import { Migration20261203000300Integrity } from './Migration20261203000300Integrity';
import { Migration20261203000301EnterpriseDivision } from './Migration20261203000301EnterpriseDivision';
import { Migration20261203000400LedgerSummary } from './Migration20261203000400LedgerSummary';
import { Migration20261203000200ReplaysWithoutTokens } from './Migration20261203000200ReplaysWithoutTokens';
import { Migration20261203000201AuditPathCap } from './Migration20261203000201AuditPathCap';
import { Migration20261203000600AreaTargets } from './Migration20261203000600AreaTargets';
import { Migration20261203000601RunProgress } from './Migration20261203000601RunProgress';
import { Migration20261203000700PrincipalsViews } from './Migration20261203000700PrincipalsViews';
import { Migration20261203000701LedgerViews } from './Migration20261203000701LedgerViews';
import { Migration20261203000702LoansViews } from './Migration20261203000702LoansViews';
import { Migration20261203000703LoanEventSummary } from './Migration20261203000703LoanEventSummary';
import { Migration20261203001200LedgerKeyedPosting } from './Migration20261203001200LedgerKeyedPosting';
import { Migration20261203001201HttpOneStatement } from './Migration20261203001201HttpOneStatement';
import { Migration20261203001202LoansOneStatement } from './Migration20261203001202LoansOneStatement';
import { Migration20261203001203RunLinesChecked } from './Migration20261203001203RunLinesChecked';
import { Migration20261203001300EnterpriseFile } from './Migration20261203001300EnterpriseFile';
import { Migration20261203001301ExclusionWithdrawal } from './Migration20261203001301ExclusionWithdrawal';
import { Migration20261203001500LoanFactItems } from './Migration20261203001500LoanFactItems';
import { Migration20261203001501RunLinesUncompressed } from './Migration20261203001501RunLinesUncompressed';
import { Migration20261203001650LedgerLeanWal } from './Migration20261203001650LedgerLeanWal';
import { Migration20261203001750LedgerOneLineTrigger } from './Migration20261203001750LedgerOneLineTrigger';
import { Migration20261203001751LedgerAccountChecks } from './Migration20261203001751LedgerAccountChecks';
import { Migration20261203001800LedgerKindTotals } from './Migration20261203001800LedgerKindTotals';
import { Migration20261203001900LoanAccountsKeyed } from './Migration20261203001900LoanAccountsKeyed';
import { Migration20261203002000AuditChains } from './Migration20261203002000AuditChains';
import { Migration20261204000100LoanEventState } from './Migration20261204000100LoanEventState';
import { Migration20261204000200LedgerFreeChain } from './Migration20261204000200LedgerFreeChain';
import { Migration20261204000300SqlHelpersPlanned } from './Migration20261204000300SqlHelpersPlanned';

export const migrations = [
  { name: 'Migration20261123000001Foundation', class: Migration20261123000001Foundation },
  { name: 'Migration20261123000002Ledger', class: Migration20261123000002Ledger },
  { name: 'Migration20261123000003Loans', class: Migration20261123000003Loans },
  { name: 'Migration20261123000004Subsidy', class: Migration20261123000004Subsidy },
  { name: 'Migration20261123000005Fund', class: Migration20261123000005Fund },
  { name: 'Migration20261123000006Whitelist', class: Migration20261123000006Whitelist },
  { name: 'Migration20261203000100PolicyFidelity', class: Migration20261203000100PolicyFidelity },
  { name: 'Migration20261203000300Integrity', class: Migration20261203000300Integrity },
  { name: 'Migration20261203000301EnterpriseDivision', class: Migration20261203000301EnterpriseDivision },
  { name: 'Migration20261203000400LedgerSummary', class: Migration20261203000400LedgerSummary },
  { name: 'Migration20261203000200ReplaysWithoutTokens', class: Migration20261203000200ReplaysWithoutTokens },
  { name: 'Migration20261203000201AuditPathCap', class: Migration20261203000201AuditPathCap },
  { name: 'Migration20261203000600AreaTargets', class: Migration20261203000600AreaTargets },
  { name: 'Migration20261203000601RunProgress', class: Migration20261203000601RunProgress },
  { name: 'Migration20261203000700PrincipalsViews', class: Migration20261203000700PrincipalsViews },
  { name: 'Migration20261203000701LedgerViews', class: Migration20261203000701LedgerViews },
  { name: 'Migration20261203000702LoansViews', class: Migration20261203000702LoansViews },
  { name: 'Migration20261203000703LoanEventSummary', class: Migration20261203000703LoanEventSummary },
  { name: 'Migration20261203001200LedgerKeyedPosting', class: Migration20261203001200LedgerKeyedPosting },
  { name: 'Migration20261203001201HttpOneStatement', class: Migration20261203001201HttpOneStatement },
  { name: 'Migration20261203001202LoansOneStatement', class: Migration20261203001202LoansOneStatement },
  { name: 'Migration20261203001203RunLinesChecked', class: Migration20261203001203RunLinesChecked },
  { name: 'Migration20261203001300EnterpriseFile', class: Migration20261203001300EnterpriseFile },
  { name: 'Migration20261203001301ExclusionWithdrawal', class: Migration20261203001301ExclusionWithdrawal },
  { name: 'Migration20261203001500LoanFactItems', class: Migration20261203001500LoanFactItems },
  { name: 'Migration20261203001501RunLinesUncompressed', class: Migration20261203001501RunLinesUncompressed },
  { name: 'Migration20261203001650LedgerLeanWal', class: Migration20261203001650LedgerLeanWal },
  { name: 'Migration20261203001750LedgerOneLineTrigger', class: Migration20261203001750LedgerOneLineTrigger },
  { name: 'Migration20261203001751LedgerAccountChecks', class: Migration20261203001751LedgerAccountChecks },
  { name: 'Migration20261203001800LedgerKindTotals', class: Migration20261203001800LedgerKindTotals },
  { name: 'Migration20261203001900LoanAccountsKeyed', class: Migration20261203001900LoanAccountsKeyed },
  { name: 'Migration20261203002000AuditChains', class: Migration20261203002000AuditChains },
  { name: 'Migration20261204000100LoanEventState', class: Migration20261204000100LoanEventState },
  { name: 'Migration20261204000200LedgerFreeChain', class: Migration20261204000200LedgerFreeChain },
  { name: 'Migration20261204000300SqlHelpersPlanned', class: Migration20261204000300SqlHelpersPlanned },
];
