import { Migration } from '@mikro-orm/migrations';

/**
 * The targets the policy documents set for IP-pledge lending in each area, as dated and cited records (monitoring,
 * not money): what banks lent to enterprises registered in an area is shown against that area's own targets
 * (src/loans/targets.ts, the dashboard). A target changes by a new record from a year on, with its reference; a
 * record without a figure from a year on ends it (the documents set Yuanzhou's to the end of 2025, Yunyang's plan runs
 * 2022–2024). Nothing is ever updated or deleted. Staff enter each area's population for the per-10,000-people
 * indicator of 袁府办字〔2023〕25号 四(二) the same way.
 *
 * Seeded from the documents:
 * - Yuanzhou district (360902), 袁府办字〔2023〕25号 二 “发展目标”: 知识产权质押融资登记金额1亿元以上 (a year, to the end of
 *   2025), 专利质押融资登记金额每年增长30%以上; 四(二): 每万人新增专利质押融资登记金额 as an assessment indicator.
 * - Dongyang (330783), 《关于全面加强知识产权工作的实施意见》 一 “总体目标”: 到2023年……知识产权年质押金额达到10亿元以上.
 * - Yunyang county (500235), 《云阳县高价值发明专利质量提升行动方案（2022—2024年）》 一 “三个增长” and 二(二)6: 新增知识产
 *   权质押融资1000万元 by 2024.
 * - Ankang (6109xx), 安政办发〔2024〕13号 第12条: 持续做好知识产权质押贷款数据监测 — monitoring, no figure.
 */
export class Migration20261203000600AreaTargets extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table target_area (
        code text primary key check (code ~ '^[a-z][a-z0-9-]{1,31}$'),
        name text not null check (length(name) between 1 and 100),
        -- The administrative divisions of the area: an enterprise counts when its division code starts with one.
        division_prefixes text[] not null check (cardinality(division_prefixes) between 1 and 20),
        sort_order integer not null default 0
      );
      create function target_area_prefixes_ok(prefixes text[]) returns boolean language sql immutable as $$
        select bool_and(prefix ~ '^[0-9]{2,6}$') from unnest(prefixes) as prefix
      $$;
      alter table target_area add constraint target_area_prefixes check (target_area_prefixes_ok(division_prefixes));

      create table area_target (
        id uuid primary key default gen_random_uuid(),
        area_code text not null references target_area (code),
        measure text not null check (measure in ('annual_amount', 'annual_growth', 'cumulative_amount', 'per_10k_people', 'monitoring')),
        -- Whose lending counts: every IP right, or loans whose first pledged right is a patent.
        scope text not null check (scope in ('ip', 'patent')),
        from_year integer not null check (from_year between 2000 and 2100),
        -- annual_amount, cumulative_amount: the least amount; annual_growth: the least growth rate. Null: no figure
        -- from this year on (the target ends), or a measure that never has one (per_10k_people, monitoring).
        amount_fen bigint check (amount_fen > 0),
        growth_rate numeric check (growth_rate > 0 and growth_rate < 100),
        -- cumulative_amount: the first year whose lending counts.
        counted_from_year integer check (counted_from_year between 2000 and 2100),
        reference text not null check (length(reference) between 1 and 300),
        quote text check (length(quote) between 1 and 1000),
        recorded_by uuid references principal (id),
        recorded_at timestamptz not null default clock_timestamp(),
        constraint area_target_figure check (case measure
          when 'annual_amount' then growth_rate is null and counted_from_year is null
          when 'cumulative_amount' then growth_rate is null and (amount_fen is null or counted_from_year is not null)
          when 'annual_growth' then amount_fen is null and counted_from_year is null
          else amount_fen is null and growth_rate is null and counted_from_year is null end)
      );
      create index area_target_area on area_target (area_code, measure, from_year);
      create trigger area_target_append_only before update or delete on area_target
        for each row execute function forbid_change();

      create table area_population (
        id uuid primary key default gen_random_uuid(),
        area_code text not null references target_area (code),
        year integer not null check (year between 2000 and 2100),
        population integer not null check (population > 0),
        reference text not null check (length(reference) between 1 and 300),
        recorded_by uuid references principal (id),
        recorded_at timestamptz not null default clock_timestamp()
      );
      create index area_population_area on area_population (area_code, year);
      create trigger area_population_append_only before update or delete on area_population
        for each row execute function forbid_change();

      insert into target_area (code, name, division_prefixes, sort_order) values
        ('yuanzhou', '宜春市袁州区', array['360902'], 1),
        ('dongyang', '东阳市', array['330783'], 2),
        ('yunyang', '重庆市云阳县', array['500235'], 3),
        ('ankang', '安康市', array['6109'], 4);

      insert into area_target (area_code, measure, scope, from_year, amount_fen, growth_rate, counted_from_year, reference, quote) values
        ('yuanzhou', 'annual_amount', 'ip', 2023, 10000000000, null, null, '袁府办字〔2023〕25号 二',
         '到2025年底……知识产权质押融资登记金额1亿元以上'),
        ('yuanzhou', 'annual_amount', 'ip', 2026, null, null, null, '袁府办字〔2023〕25号 二（目标至2025年底）',
         '到2025年底'),
        ('yuanzhou', 'annual_growth', 'patent', 2023, null, 0.30, null, '袁府办字〔2023〕25号 二',
         '专利质押融资登记金额每年增长30%以上'),
        ('yuanzhou', 'annual_growth', 'patent', 2026, null, null, null, '袁府办字〔2023〕25号 二（目标至2025年底）',
         '到2025年底'),
        ('yuanzhou', 'per_10k_people', 'patent', 2023, null, null, null, '袁府办字〔2023〕25号 四(二)',
         '在营商环境优化升级“一号改革工程”考核中强化……每万人新增专利质押融资登记金额等指标'),
        ('dongyang', 'annual_amount', 'ip', 2023, 100000000000, null, null, '《关于全面加强知识产权工作的实施意见》 一、总体目标',
         '到2023年……知识产权年质押金额达到10亿元以上'),
        ('yunyang', 'cumulative_amount', 'ip', 2022, 1000000000, null, 2022,
         '《云阳县高价值发明专利质量提升行动方案（2022—2024年）》 一“三个增长”、二(二)6',
         '到2024年……新增知识产权质押融资1000万元'),
        ('yunyang', 'cumulative_amount', 'ip', 2025, null, null, null,
         '《云阳县高价值发明专利质量提升行动方案（2022—2024年）》（方案期至2024年）', '到2024年'),
        ('ankang', 'monitoring', 'ip', 2024, null, null, null, '安政办发〔2024〕13号 第12条',
         '持续做好知识产权质押贷款数据监测');
    `);
  }
}
