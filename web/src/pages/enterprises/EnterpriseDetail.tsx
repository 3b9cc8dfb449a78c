/**
 * One enterprise at /enterprises/:uscc: its registration, then tabs. Today the tab 资格检查 (eligibility for a year);
 * the enterprise's full file (一企一档) adds its tabs here. `?year=` opens the check on that year (a run's ineligible
 * line links here with its year).
 */
import { CarriedCard } from './CarriedCard';
import { lastCompleteYear } from '../../format/date';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { Button, Card, Descriptions, Tabs } from 'antd';
import { Link, useParams, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { useLoad } from '../../api/useLoad';
import { useCan } from '../../auth/session';
import { LoadProblem } from '../../components/LoadProblem';
import { PageTitle } from '../../components/PageTitle';
import { formatInstant } from '../../format/date';
import { EligibilityTab } from './EligibilityTab';

export function EnterpriseDetail() {
  const { uscc = '' } = useParams();
  const [search, setSearch] = useSearchParams();
  const can = useCan();
  const enterprise = useLoad(() => api.GET('/api/v1/enterprises/{uscc}', { params: { path: { uscc } } }), [uscc]);
  const requested = Number(search.get('year'));
  const year = Number.isInteger(requested) && requested >= 2000 && requested <= 2100 ? requested : lastCompleteYear();
  const data = enterprise.data;
  const tabs = [
    ...(can('GET /api/v1/enterprises/{uscc}/eligibility')
      ? [{ key: 'eligibility', label: '资格检查', children: <EligibilityTab uscc={uscc} year={year} onYear={(next: number) => setSearch({ year: String(next) })} /> }]
      : []),
  ];
  return (
    <>
      <PageTitle
        extra={
          <Link to="/enterprises">
            <Button icon={<ArrowLeftOutlined />}>返回企业列表</Button>
          </Link>
        }
      >
        {data ? data.name : '企业'}
      </PageTitle>
      <LoadProblem problem={enterprise.problem} />
      {data && (
        <>
          <Card style={{ marginBottom: 16 }}>
            <Descriptions size="small" column={3}>
              <Descriptions.Item label="统一社会信用代码">{data.uscc}</Descriptions.Item>
              <Descriptions.Item label="行政区划码">{data.divisionCode}</Descriptions.Item>
              <Descriptions.Item label="登记时间">{formatInstant(data.createdAt)}</Descriptions.Item>
            </Descriptions>
          </Card>
          {can('GET /api/v1/subsidy-runs') && <CarriedCard uscc={uscc} />}
          <Tabs items={tabs} defaultActiveKey="eligibility" />
        </>
      )}
    </>
  );
}
