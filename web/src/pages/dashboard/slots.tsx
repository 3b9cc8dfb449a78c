/**
 * The dashboard's places for other modules' figures (总览). Each slot is shown to the roles listed;
 * until its module provides `component`, it shows which module will fill it. To plug in: set `component` (a lazily
 * loaded card body reading its own API) and `requires` (the read it needs; the slot is then shown to the roles the
 * API allows for it instead of `roles`), e.g. `component: lazy(() => import('../loans/LendingCard'))`.
 */
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { Operation, Role } from '../../api/roles';

export interface DashboardSlot {
  key: string;
  title: string;
  /** Who will see it, until `requires` says so from the API. */
  roles: Role[];
  /** What the placeholder says will be here, and who provides it. */
  placeholder: string;
  requires?: Operation;
  component?: LazyExoticComponent<ComponentType>;
}

export const DASHBOARD_SLOTS: DashboardSlot[] = [
  {
    key: 'lending',
    title: '年度知识产权质押融资与目标',
    roles: ['staff', 'finance', 'auditor', 'bank'],
    placeholder: '贷款模块提供：各地区每年新增质押融资额，对照各地文件设定的目标（如袁府办字〔2023〕25号 二：每年不低于 1 亿元、专利质押融资年增 30%），按银行与权利类型分列。',
    requires: 'GET /api/v1/reports/portfolio',
    component: lazy(() => import('./LendingCard')),
  },
  {
    key: 'subsidy',
    title: '贴息：已批准 / 已拨付 / 待拨付',
    roles: ['staff', 'finance', 'auditor'],
    placeholder: '贴息模块提供：按出资方（市、区财政）列示已批准、已拨付和待拨付的贴息金额。',
    requires: 'GET /api/v1/reports/split-reconciliation',
    component: lazy(() => import('./SubsidyCard')),
  },
  {
    key: 'fund',
    title: '风险补偿资金',
    roles: ['staff', 'finance', 'auditor'],
    placeholder: '风险补偿模块提供：资金规模、已用放大倍数、已赔付金额。',
    requires: 'GET /api/v1/funds/{id}/kpis',
    component: lazy(() => import('./FundCard')),
  },
];
