/**
 * The kinds of import the service takes (src/imports/kinds.ts), as the console names them: where each is uploaded,
 * what it is for, and who may do it (the operation's roles, web/src/api/roles.ts).
 */
import type { Operation } from '../api/roles';

export type ImportKind = 'loans' | 'loan-events' | 'contributions' | 'premiums' | 'exclusions' | 'other-support' | 'fees' | 'rates';

export interface ImportKindInfo {
  kind: ImportKind;
  title: string;
  description: string;
  /** The upload's path and operation. */
  path: `/api/v1/${string}`;
  operation: Operation;
}

export const IMPORT_KIND_INFO: Record<ImportKind, ImportKindInfo> = {
  loans: {
    kind: 'loans',
    title: '贷款',
    description: '本行发放的知识产权质押贷款：合同编号、借款企业、金额、利率、起止日、担保方式和质押的知识产权。',
    path: '/api/v1/loans:batch',
    operation: 'POST /api/v1/loans:batch',
  },
  'loan-events': {
    kind: 'loan-events',
    title: '贷款事件',
    description: '放款、付息、还本、逾期、违约、结清，每行一笔，按合同编号（或贷款编号）对应到本行的贷款。',
    path: '/api/v1/loan-events:batch',
    operation: 'POST /api/v1/loan-events:batch',
  },
  contributions: {
    kind: 'contributions',
    title: '企业地方贡献',
    description: '东阳市各企业每年对地方的贡献：当年补助以此为上限，余额在以后两年内兑付（《关于全面加强知识产权工作的实施意见》第 22 条）。',
    path: '/api/v1/imports/contributions',
    operation: 'POST /api/v1/imports/contributions',
  },
  premiums: {
    kind: 'premiums',
    title: '专利保险保费',
    description: '企业缴纳的专利保险保费，按 50% 补助、每家每年不超过 10 万元（《关于全面加强知识产权工作的实施意见》第 6 条）。',
    path: '/api/v1/imports/premiums',
    operation: 'POST /api/v1/imports/premiums',
  },
  exclusions: {
    kind: 'exclusions',
    title: '不予补助企业',
    description: '当年发生安全生产事故、劳资纠纷或违法违规被查处的企业，当年不享受补助（《关于全面加强知识产权工作的实施意见》第 23 条）。',
    path: '/api/v1/imports/exclusions',
    operation: 'POST /api/v1/imports/exclusions',
  },
  'other-support': {
    kind: 'other-support',
    title: '其他政策支持',
    description: '同一笔贷款已从其他政策获得的同级财政支持，补助只兑付超出部分（袁府办字〔2023〕25号 奖励认定1）。',
    path: '/api/v1/imports/other-support',
    operation: 'POST /api/v1/imports/other-support',
  },
  fees: {
    kind: 'fees',
    title: '评估担保保险费',
    description: '袁州区贷款的评估费、担保费、保险费，按不超过 50% 补助、每项不超过 5 万元（袁府办字〔2023〕25号 四(三)2）。',
    path: '/api/v1/imports/fees',
    operation: 'POST /api/v1/imports/fees',
  },
  rates: {
    kind: 'rates',
    title: 'LPR与基准利率',
    description: '一年期、五年期以上 LPR 和人民银行贷款基准利率：补助按政策规定的利率计算；已登记的同一利率再次导入不重复记录。',
    path: '/api/v1/imports/rates',
    operation: 'POST /api/v1/imports/rates',
  },
};

/** The service centre's imports of what the yearly runs need, in the order the 导入 page lists them. */
export const INPUT_IMPORT_KINDS: ImportKind[] = ['contributions', 'premiums', 'exclusions', 'other-support', 'fees', 'rates'];
/** A bank's imports. */
export const BANK_IMPORT_KINDS: ImportKind[] = ['loans', 'loan-events'];
