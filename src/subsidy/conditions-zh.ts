/**
 * The Chinese text of every condition and limit an eligibility answer states, from its code and values alone (the
 * English `message` and `toMeet` are for banks' programs; clerks read these). One sentence per code and outcome, the
 * documents' own words where they have them (按期还清, 担保债权数额, 就高不就低).
 */
import type { ExplainedCondition } from './eligibility';
import type { ConditionCode } from './stages/conditions';
import type { Reason, ReasonCode } from './types';

const RIGHT_TYPES: Record<string, string> = { patent: '专利权', trademark: '商标专用权', copyright: '著作权' };
const EVENTS: Record<string, string> = { overdue: '逾期', default: '违约' };
const LEVELS: Record<string, string> = { national: '国家级', province: '省级', city: '市级', district: '区级', county: '县级' };
const PARAMETERS: Record<string, string> = { ratio: '补贴比例', rateIndex: '基准利率', fundingSplit: '资金分担比例' };

/** "patent, trademark" → "专利权、商标专用权". */
function list(text: unknown, names: Record<string, string>): string {
  const items = String(text ?? '').split(', ').filter(Boolean);
  return items.length === 0 ? '无' : items.map((item) => names[item] ?? item).join('、');
}

/** "patent ZL…, trademark 30000124" (right type, number) → "专利权 ZL…、商标专用权 30000124". */
function pledgeList(text: unknown): string {
  const items = String(text ?? '').split(', ').filter(Boolean);
  return items
    .map((item) => {
      const space = item.indexOf(' ');
      const type = space < 0 ? item : item.slice(0, space);
      return `${RIGHT_TYPES[type] ?? type}${space < 0 ? '' : item.slice(space)}`;
    })
    .join('、');
}

/** "110091.25" → "¥110,091.25", as the console writes money. */
const yuan = (value: unknown) => {
  const [whole = '', fraction] = String(value).split('.');
  return `¥${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fraction === undefined ? '' : `.${fraction}`}`;
};

export interface ChineseText {
  messageZh: string;
  toMeetZh: string | null;
}

export function conditionTextZh(condition: ExplainedCondition): ChineseText {
  const v = { ...condition.params, ...(condition.toMeetParams ?? {}) } as Record<string, string | number | undefined>;
  const met = condition.met;
  const text = (messageZh: string, toMeetZh: string | null = null): ChineseText => ({ messageZh, toMeetZh: met ? null : toMeetZh });
  switch (condition.code) {
    case 'parameters_set':
      return text(
        met ? '计算所需参数均已设置' : `政策参数未设置：${list(v.parameters, PARAMETERS)}，无法计算金额`,
        `请工作人员在政策新版本中设置${list(v.parameters, PARAMETERS)}（文件未规定，由当地确定）`,
      );
    case 'in_jurisdiction':
      return text(
        met
          ? `注册地 ${v.divisionCode}（${v.source === 'enterprise_record' ? '登记的行政区划' : '信用代码第3–8位'}），在政策适用范围 ${v.covered} 内`
          : `注册地 ${v.divisionCode}，不在政策适用范围 ${v.covered} 内，其贷款不列入本政策的年度贴息`,
        `须在 ${v.covered} 注册；本企业登记的行政区划为 ${v.divisionCode}：如登记有误，请工作人员更正`,
      );
    case 'independent_legal_person':
    case 'in_normal_operation': {
      const what = condition.code === 'independent_legal_person' ? '具有独立法人资格' : '正常生产经营';
      if (met) return text(condition.code === 'independent_legal_person' ? `非个体工商户，且无 ${v.year} 年“不具有独立法人资格”的记录` : `无 ${v.year} 年“未正常生产经营”的记录`);
      if (v.usccPrefix !== undefined) {
        return text(
          `个体工商户（信用代码以 ${v.usccPrefix} 开头），不具有独立法人资格`,
          '政策只支持具有独立法人资格的企业：个体工商户登记为公司、取得自己的统一社会信用代码后方可申请',
        );
      }
      const period = v.to === undefined ? `自 ${v.from} 起` : `${v.from} 至 ${v.to}`;
      return text(
        `工作人员记录：${period}不${what}（${v.reason}）`,
        `该记录与 ${v.year} 年重叠：如记录有误或情况已结束，请工作人员撤回该记录（注明原因），并按实际期间（含截止日）重新记录`,
      );
    }
    case 'not_excluded':
      return text(
        met ? `${v.year} 年无排除记录` : `${v.year} 年被排除：${v.reasons}`,
        `${v.year} 年无法满足：被排除的企业当年不享受任何补助；如记录有误，请工作人员更正`,
      );
    case 'right_type_eligible':
      return text(
        met ? `质押${list(v.pledged, RIGHT_TYPES)}；政策支持${list(v.eligible, RIGHT_TYPES)}` : `质押${list(v.pledged, RIGHT_TYPES)}；政策只支持${list(v.eligible, RIGHT_TYPES)}`,
        `须以${list(v.eligible, RIGHT_TYPES)}质押：本笔贷款质押的权利类型不在支持范围内`,
      );
    case 'ip_part_known':
      return text(
        met
          ? v.collateral === 'combination'
            ? `合同载明知识产权质押部分 ${yuan(v.ipPart)}（本金 ${yuan(v.principal)}）`
            : `纯知识产权质押贷款：知识产权部分为全部本金 ${yuan(v.principal)}`
          : `组合贷款合同未载明知识产权质押部分，本金 ${yuan(v.principal)} 中的知识产权部分无法区分，不予补贴`,
        '本笔贷款无法满足：组合贷款只对合同载明的知识产权质押部分补贴，本合同未载明，已登记的贷款不作修改；载明知识产权部分的组合贷款可按该部分补贴',
      );
    case 'secured_amounts_recorded':
      if (met && v.supportedPart === undefined) return text(`只质押政策支持的权利类型（${list(v.pledged, RIGHT_TYPES)}），无需担保债权数额`);
      return text(
        met
          ? `另质押${list(v.unsupported, RIGHT_TYPES)}：支持部分 = min(知识产权部分 ${yuan(v.ipPart)}，支持类型质押的担保债权数额合计 ${yuan(v.securedSupported)}) = ${yuan(v.supportedPart)}`
          : `另质押政策不支持的${list(v.unsupported, RIGHT_TYPES)}，只按支持类型质押担保的部分补贴，须有每项质押的担保债权数额（缺 ${v.missingCount} 项：${pledgeList(v.missing)}）`,
        `请银行登记每项质押的担保债权数额（securedAmount，以质押登记为准），缺：${pledgeList(v.missing)}`,
      );
    case 'ip_share_at_least_minimum':
      return text(
        met ? `知识产权部分 ${yuan(v.ipPart)} / 本金 ${yuan(v.principal)}，不低于最低比例 ${v.minimum}` : `知识产权部分 ${yuan(v.ipPart)} / 本金 ${yuan(v.principal)}，低于最低比例 ${v.minimum}`,
        `知识产权质押部分须不低于本金的 ${v.minimum}`,
      );
    case 'settled':
      return text(
        met ? `已于 ${v.settlementDate} 结清（到期日 ${v.maturityDate}）` : `尚未结清（到期日 ${v.maturityDate}）`,
        v.today === undefined
          ? `须于 ${v.maturityDate} 前（含当日）结清，且无逾期`
          : `到期日 ${v.maturityDate} 已过（今天是 ${v.today}）：现在结清已晚于到期日，本笔贷款已无法按期还清；如已于 ${v.maturityDate} 前（含当日）结清，请银行按实际结清日期补录结清记录`,
      );
    case 'settled_by_maturity':
      return text(
        met ? `${v.settlementDate} 结清，未晚于到期日 ${v.maturityDate}` : `${v.settlementDate} 结清，晚于到期日 ${v.maturityDate}：未按期还款`,
        `${v.settlementDate} 结清，晚于到期日 ${v.maturityDate}：须按期还清贷款本息（到期日前结清），本笔贷款已无法满足`,
      );
    case 'no_overdue_event': {
      if (met) return text('无逾期或违约记录');
      const settled = v.settlementDate === undefined ? `到期日 ${v.maturityDate}` : `${v.settlementDate} 结清${String(v.settlementDate) > String(v.maturityDate) ? `，晚于到期日 ${v.maturityDate}` : ''}`;
      return text(
        `未按期还款：${v.date} 有${EVENTS[String(v.eventType)] ?? v.eventType}记录`,
        `${v.date} 有${EVENTS[String(v.eventType)] ?? v.eventType}记录，${settled}：须按期还清贷款本息（到期前结清且无逾期），本笔贷款已无法满足`,
      );
    }
    case 'settled_in_year':
      return text(
        met ? `${v.settlementDate} 结清，属 ${v.year} 年度` : `尚未结清：${v.year} 年度只补贴当年结清的贷款`,
        v.today === undefined
          ? `须在 ${v.year} 年内结清（到期日 ${v.maturityDate}）`
          : `${v.year} 年度已结束（今天是 ${v.today}）：如贷款已于 ${v.year} 年内结清，请银行按实际结清日期补录结清记录；否则结清后由结清当年的年度批次补贴`,
      );
    case 'asset_not_subsidised_in_another_year':
      return text(
        met ? '质押的专利、商标未在其他年度享受过贴息' : `${v.numbers} 已于 ${v.years} 年享受贴息：同一专利或商标只享受一个年度的贴息`,
        `本笔贷款无法满足：${v.numbers} 已于 ${v.years} 年享受贴息；以未享受过贴息的专利或商标质押的贷款可以申请`,
      );
    case 'contract_date_recorded':
      return text(met ? `已登记合同日期 ${v.contractDate}` : '政策按合同日期确定利率，贷款未登记合同日期', '请登记贷款的合同日期');
    case 'outstanding_not_negative':
      return text(met ? '未偿本金未出现负数' : '登记的还款超过放款，未偿本金为负', '请银行更正贷款事件：登记的还款超过放款');
    case 'rate_in_force':
      return text(met ? '利率报价已登记' : `${v.date} 无有效的 ${v.index} 报价`, `请工作人员登记 ${v.date} 有效的 ${v.index} 报价`);
    case 'cap_per_loan':
      return text(
        met ? `单笔贷款贴息期内最高 ${yuan(v.cap)}：本年度 ${yuan(v.amount)}，未超过` : `单笔贷款贴息期内最高 ${yuan(v.cap)}：此前年度已计 ${yuan(v.earlier)}，本年度 ${yuan(v.amount)} 只能支付 ${yuan(v.part)}`,
        `无需办理：政策规定单笔贷款贴息总额最高 ${yuan(v.cap)}`,
      );
    case 'other_support_same_level':
      return text(
        met ? `未登记同级（${list(v.fiscalLevels, LEVELS)}）财政的其他补助` : `已获同级财政其他补助 ${yuan(v.other)}（${v.programmes}）：只支付本政策金额超出部分（就高不就低）`,
        '无需办理：同级财政已给予的补助从本政策金额中扣除，企业享受二者中较高者',
      );
    case 'cap_per_enterprise_right_type_year':
    case 'cap_per_enterprise_year':
    case 'cap_per_enterprise_cumulative': {
      const scope =
        condition.code === 'cap_per_enterprise_right_type_year'
          ? ` ${v.year} 年${RIGHT_TYPES[String(v.rightType)] ?? v.rightType}质押`
          : condition.code === 'cap_per_enterprise_year'
            ? ` ${v.year} 年`
            : '累计';
      return text(
        met ? `企业${scope}贴息合计 ${yuan(v.total)}，未超过上限 ${yuan(v.cap)}` : `企业${scope}贴息合计 ${yuan(v.total)}，超过上限 ${yuan(v.cap)}，削减 ${yuan(v.cut)}，按各笔贷款金额比例分摊`,
        `无需办理：政策规定的上限为 ${yuan(v.cap)}，削减额按各笔贷款金额比例分摊`,
      );
    }
    case 'contribution_cap':
      if (v.contribution === undefined) return text(`未录入 ${v.year} 年地方贡献：不适用贡献上限`);
      return text(
        met ? `${v.year} 年补助 ${yuan(v.due)}，未超过地方贡献 ${yuan(v.contribution)}` : `${v.year} 年补助 ${yuan(v.due)}，超过地方贡献可支付的 ${yuan(v.paid)}，超出 ${yuan(v.cut)} 结转至 ${v.carriedTo} 年`,
        `无需办理：超出部分在 ${v.carriedTo} 年的贡献额度内支付；如录入的 ${v.year} 年地方贡献有误，请工作人员更正`,
      );
  }
}

/** A run line's reason → the condition it reports (the inverse of `REASON_OF_CONDITION`, src/subsidy/stages/conditions.ts). */
const CONDITION_OF_REASON: Readonly<Record<Exclude<ReasonCode, 'no_eligible_loan'>, ConditionCode>> = {
  enterprise_not_independent_legal_person: 'independent_legal_person',
  enterprise_not_in_normal_operation: 'in_normal_operation',
  enterprise_excluded: 'not_excluded',
  right_type_not_eligible: 'right_type_eligible',
  combination_ip_part_unknown: 'ip_part_known',
  secured_amount_missing: 'secured_amounts_recorded',
  ip_share_below_minimum: 'ip_share_at_least_minimum',
  not_settled: 'settled',
  settled_after_maturity: 'settled_by_maturity',
  repaid_late: 'no_overdue_event',
  asset_subsidised_in_another_year: 'asset_not_subsidised_in_another_year',
  contract_date_missing: 'contract_date_recorded',
  outstanding_negative: 'outstanding_not_negative',
};

const FEE_KINDS: Record<string, string> = { evaluation: '评估费', guarantee: '担保费', insurance: '保险费' };

/**
 * The Chinese sentence of a run line's reason, from its code and params alone (the English `message` stays for banks'
 * programs): the same sentence the eligibility answer gives for the missed condition behind it.
 */
export function reasonTextZh(reason: Pick<Reason, 'code' | 'params' | 'reference'>): string {
  if (reason.code === 'no_eligible_loan') {
    return `没有以${list(reason.params.eligible, RIGHT_TYPES)}质押的贷款的${FEE_KINDS[String(reason.params.kind)] ?? '费用'}：不予补助`;
  }
  const condition: ExplainedCondition = {
    code: CONDITION_OF_REASON[reason.code],
    kind: 'eligibility',
    met: false,
    reference: reason.reference,
    message: '',
    params: reason.params,
    toMeet: null,
  };
  return conditionTextZh(condition).messageZh;
}
