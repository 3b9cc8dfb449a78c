/**
 * The console's pages: one line each. A page is shown (in the menu and as a route) to the roles allowed to call the
 * operation it `requires`, as the API declares them (web/src/api/roles.ts), so navigation follows the API's own
 * permissions: staff see everything, finance its money, auditors read everything, banks their own loans.
 *
 * To add a module's page: write it under pages/<module>/, add a line here (path, Chinese title, icon, the read
 * operation it needs, and the lazily loaded component), and `npm run web:api` once its routes exist. A page owns
 * the paths below its own (`/loans/:id` belongs to `/loans`: nested <Routes> in the page).
 */
import {
  AuditOutlined,
  BankOutlined,
  BookOutlined,
  CalculatorOutlined,
  CheckCircleOutlined,
  DashboardOutlined,
  EditOutlined,
  ExperimentOutlined,
  FileProtectOutlined,
  FileTextOutlined,
  ImportOutlined,
  LineChartOutlined,
  ReconciliationOutlined,
  SafetyOutlined,
  ShopOutlined,
  StarOutlined,
} from '@ant-design/icons';
import { lazy, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import type { Operation, Role } from '../api/roles';
import { roleMay } from '../auth/session';

export interface ConsolePage {
  path: string;
  title: string;
  icon: ReactNode;
  /** The roles allowed to call this operation see the page. */
  requires: Operation;
  component: LazyExoticComponent<ComponentType>;
}

export const PAGES: ConsolePage[] = [
  { path: '/', title: '总览', icon: <DashboardOutlined />, requires: 'GET /api/v1/me', component: lazy(() => import('./dashboard/DashboardPage')) },
  { path: '/loans', title: '贷款', icon: <FileTextOutlined />, requires: 'GET /api/v1/loans', component: lazy(() => import('./loans/LoansPage')) },
  { path: '/whitelist', title: '白名单', icon: <StarOutlined />, requires: 'GET /api/v1/whitelist', component: lazy(() => import('./whitelist/WhitelistPage')) },
  { path: '/enterprises', title: '企业', icon: <ShopOutlined />, requires: 'GET /api/v1/enterprises', component: lazy(() => import('./enterprises/EnterprisesPage')) },
  // The service centre's imports of the runs' inputs (the banks import loans on 贷款).
  { path: '/imports', title: '导入', icon: <ImportOutlined />, requires: 'POST /api/v1/imports/rates', component: lazy(() => import('./imports/ImportsPage')) },
  { path: '/ledger', title: '账务', icon: <BookOutlined />, requires: 'GET /api/v1/ledger/trial-balance', component: lazy(() => import('./ledger/LedgerPage')) },
  // 贴息 (subsidy runs), 对账 (reconciliation), 风险补偿 (fund) go here.
  { path: '/subsidy', title: '贴息', icon: <CalculatorOutlined />, requires: 'GET /api/v1/subsidy-runs', component: lazy(() => import('./subsidy/SubsidyPage')) },
  // The runs' inputs, one enterprise after another (staff).
  { path: '/inputs', title: '补贴录入', icon: <EditOutlined />, requires: 'POST /api/v1/enterprises/{uscc}/contributions', component: lazy(() => import('./inputs/SubsidyInputsPage')) },
  // Reference-rate fixings (LPR, PBoC benchmark) the runs read, for those who read the runs; staff add them.
  { path: '/rates', title: '利率报价', icon: <LineChartOutlined />, requires: 'GET /api/v1/subsidy-runs', component: lazy(() => import('./rates/RatesPage')) },
  { path: '/policies', title: '政策版本', icon: <FileProtectOutlined />, requires: 'GET /api/v1/policies', component: lazy(() => import('./policies/PoliciesPage')) },
  { path: '/simulation', title: '政策模拟', icon: <ExperimentOutlined />, requires: 'POST /api/v1/simulations', component: lazy(() => import('./simulation/SimulationPage')) },
  { path: '/reconciliation', title: '对账', icon: <ReconciliationOutlined />, requires: 'GET /api/v1/reports/split-reconciliation', component: lazy(() => import('./reconciliation/ReconciliationPage')) },
  { path: '/fund', title: '风险补偿', icon: <SafetyOutlined />, requires: 'GET /api/v1/funds/{id}/kpis', component: lazy(() => import('./fund/FundPage')) },
  { path: '/access', title: '机构与用户', icon: <BankOutlined />, requires: 'GET /api/v1/principals', component: lazy(() => import('./access/AccessPage')) },
  { path: '/audit', title: '审计', icon: <AuditOutlined />, requires: 'GET /api/v1/audit-log', component: lazy(() => import('./audit/AuditPage')) },
  { path: '/integrity', title: '完整性核验', icon: <CheckCircleOutlined />, requires: 'GET /api/v1/integrity/verify', component: lazy(() => import('./integrity/IntegrityPage')) },
];

export function pagesFor(role: Role): ConsolePage[] {
  return PAGES.filter((page) => roleMay(role, page.requires));
}
