import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, unwrap, type Answer } from '../api/client';
import { BarChart, type Bar } from '../components/bar-chart';
import { ProblemNotice } from '../components/problem-notice';
import { useLoad } from '../components/use-load';
import { useNames, useText, type Language } from '../i18n';
import { beijingTime, beijingToday, yuan } from '../format';
import { href } from '../router';
import { useMe } from '../session';

type Payable = Answer<'/retention/payable', 'get'>;
type Tranche = Payable['items'][number];
type PaymentBlock = Answer<'/payments/blocks', 'get'>['items'][number];

const trancheCount = (n: number) => `${n} ${n === 1 ? 'tranche' : 'tranches'}`;

const texts = {
  'zh-CN': {
    title: '财务看板',
    intro: '全部项目的质保金（建设尾款）：扣留多少、何时到期、已支付多少、哪些暂停支付及其原因。金额单位为元。',
    loading: '正在加载…',
    totals: '汇总',
    withheld: '扣留中的质保金',
    dueQuarter: '本季度应付',
    released: '已支付',
    blocked: '暂停支付',
    count: (n: number) => `共 ${n} 笔`,
    withheldHint: (n: number) => `尚未支付、未被取消的 ${n} 笔`,
    dueQuarterHint: (quarter: string, n: number) => `${quarter}内到期的 ${n} 笔，含此前到期尚未支付的`,
    totalsRange: '按全部项目的全部分期统计（不限到期日）；暂停支付为当前暂停的分期。',
    chartTitle: '未来三年按季度到期的质保金',
    chartCaption: '尚待支付（未到期、应付或暂停支付）的质保金，按到期日所在季度汇总。',
    quarter: '季度',
    amount: '金额',
    quarterShort: (year: number, quarter: number) => `${year} Q${quarter}`,
    quarterLong: (year: number, quarter: number) => `${year}年第${quarter}季度`,
    byContract: '按合同列示的质保金分期',
    rangeFrom: '到期日起',
    rangeTo: '到期日止',
    show: '查询',
    resetRange: '本季度起三年',
    rangeBackwards: '截止日期不能早于起始日期。',
    exportCsv: '导出 CSV',
    exportHint: 'CSV 包含所选区间内到期的全部分期，金额以元计。',
    earlierHint: '早于所选区间到期、仍应付或暂停支付的分期也一并列出。',
    beforeRange: '区间前到期',
    empty: '所选区间内没有到期的质保金。',
    contract: '合同',
    project: '项目',
    trancheNo: '期次',
    dueDate: '到期日',
    condition: '支付条件',
    status: '状态',
    blockedReason: '暂停原因',
    voucher: '支付凭证',
    action: '操作',
    conditions: { postEvaluation: '后评价通过', assessment: '考核通过' } as Record<string, string>,
    releasedAt: '支付时间',
    release: '登记支付',
    releaseLegend: (contractId: string, trancheNo: number) => `登记合同 ${contractId} 第 ${trancheNo} 期质保金的支付`,
    voucherLabel: '支付凭证号',
    voucherHint: '财政支付凭证上的编号；每期只登记一次。按 Esc 取消。',
    confirm: '确认支付',
    cancel: '取消',
    releasedNotice: (contractId: string, trancheNo: number, voucherRef: string) => `已登记合同 ${contractId} 第 ${trancheNo} 期质保金的支付，凭证号 ${voucherRef}。`,
    blocks: '资金冻结',
    blocksIntro: '以下资金在冻结解除前不得支付；依据为冻结所据的条款。',
    noBlocks: '没有生效的资金冻结。',
    unit: '建设单位',
    scope: '冻结范围',
    reason: '原因',
    rule: '依据',
    since: '起始时间',
  },
  en: {
    title: 'Finance dashboard',
    intro: 'Retention across all projects: what is withheld, what falls due when, what was released, and what is blocked and why. Amounts in yuan.',
    loading: 'Loading…',
    totals: 'Totals',
    withheld: 'Retention withheld',
    dueQuarter: 'Due this quarter',
    released: 'Released',
    blocked: 'Blocked',
    count: (n: number) => trancheCount(n),
    withheldHint: (n: number) => `${trancheCount(n)} neither released nor forfeited`,
    dueQuarterHint: (quarter: string, n: number) => `${trancheCount(n)} falling due in ${quarter}, with earlier ones still unpaid`,
    totalsRange: 'Over every tranche of every project, whatever its due date; blocked: every tranche blocked now.',
    chartTitle: 'Retention falling due in the next three years, by quarter',
    chartCaption: 'Retention still to be paid (scheduled, due or blocked), by the quarter its due date falls in.',
    quarter: 'Quarter',
    amount: 'Amount',
    quarterShort: (year: number, quarter: number) => `${year} Q${quarter}`,
    quarterLong: (year: number, quarter: number) => `Q${quarter} ${year}`,
    byContract: 'Retention tranches by contract',
    rangeFrom: 'Due from',
    rangeTo: 'Due to',
    show: 'Show',
    resetRange: 'This quarter + 3 years',
    rangeBackwards: '"Due to" must not be before "Due from".',
    exportCsv: 'Export CSV',
    exportHint: 'The CSV holds every tranche falling due in the range, amounts in yuan.',
    earlierHint: 'Tranches that fell due before the range and are still due or blocked are listed too.',
    beforeRange: 'Before the range',
    empty: 'No retention falls due in this range.',
    contract: 'Contract',
    project: 'Project',
    trancheNo: 'Tranche',
    dueDate: 'Due date',
    condition: 'Condition',
    status: 'Status',
    blockedReason: 'Blocked because',
    voucher: 'Voucher',
    action: 'Action',
    conditions: { postEvaluation: 'Post-evaluation passed', assessment: 'Assessment passed' } as Record<string, string>,
    releasedAt: 'Released at',
    release: 'Record release',
    releaseLegend: (contractId: string, trancheNo: number) => `Record the release of tranche ${trancheNo} of contract ${contractId}`,
    voucherLabel: 'Voucher reference',
    voucherHint: 'The number on the payment voucher; a tranche is released once. Esc cancels.',
    confirm: 'Confirm release',
    cancel: 'Cancel',
    releasedNotice: (contractId: string, trancheNo: number, voucherRef: string) => `Release of tranche ${trancheNo} of contract ${contractId} recorded with voucher ${voucherRef}.`,
    blocks: 'Money blocks',
    blocksIntro: 'Money that must not be paid while these blocks are in force, with the article each rests on.',
    noBlocks: 'No money blocks are in force.',
    unit: 'Construction unit',
    scope: 'Scope',
    reason: 'Reason',
    rule: 'Article',
    since: 'Since',
  },
};
type FinanceTexts = (typeof texts)['zh-CN'];

// ---- Calendar quarters of business dates (YYYY-MM-DD in Beijing), compared as strings ----

interface Quarter {
  year: number;
  /** 1–4 */
  quarter: number;
}
const quarterOf = (date: string): Quarter => ({ year: Number(date.slice(0, 4)), quarter: Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1 });
const shiftQuarters = (from: Quarter, quarters: number): Quarter => {
  const index = from.year * 4 + from.quarter - 1 + quarters;
  return { year: Math.floor(index / 4), quarter: (index % 4) + 1 };
};
const QUARTER_FIRST_DAYS = ['01-01', '04-01', '07-01', '10-01'];
const QUARTER_LAST_DAYS = ['03-31', '06-30', '09-30', '12-31'];
const firstDayOf = (q: Quarter) => `${q.year}-${QUARTER_FIRST_DAYS[q.quarter - 1]}`;
const lastDayOf = (q: Quarter) => `${q.year}-${QUARTER_LAST_DAYS[q.quarter - 1]}`;

/** The chart: this quarter and the eleven after it, three years. */
const CHART_QUARTERS = 12;
/**
 * Tranches fall due at most three years after acceptance (001 §19, the only retention schedule), so twelve
 * quarters after this one hold every tranche not yet due.
 */
const QUARTERS_AHEAD = 12;
/** Every due date there can be: the totals count every tranche, whatever the browser's clock says. */
const ALL_DATES = { from: '2000-01-01', to: '2199-12-31' };
/** Five years back: tranches that fell due then and may still be held (due or blocked). */
const QUARTERS_BACK = 20;

// ---- Reading every page of a list ----

/** The largest page the retention and block lists give. */
const PAGE_LIMIT = 500;
/** A bound on the pages read for one view (100,000 rows), so a runaway list cannot hang the page. */
const MAX_PAGES = 200;

async function everyPage<T>(pageAt: (limit: number, offset: number) => Promise<T[]>): Promise<T[]> {
  const rows: T[] = [];
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const items = await pageAt(PAGE_LIMIT, page * PAGE_LIMIT);
    rows.push(...items);
    if (items.length < PAGE_LIMIT) break;
  }
  return rows;
}

/** Every tranche falling due in [from, to], and the API's totals per status over that range. */
async function payableBetween(from: string, to: string): Promise<{ items: Tranche[]; totals: Payable['totals'] | null }> {
  let totals: Payable['totals'] | null = null;
  const items = await everyPage(async (limit, offset) => {
    const page = await unwrap(api.GET('/retention/payable', { params: { query: { from, to, limit, offset } } }));
    totals = page.totals;
    return page.items;
  });
  return { items, totals };
}

const trancheKey = (t: { contractId: string; trancheNo: number }) => `${t.contractId}-${t.trancheNo}`;
const sumFen = (tranches: Tranche[]) => tranches.reduce((sum, t) => sum + t.amountFen, 0);
const isHeld = (t: Tranche) => t.status === 'scheduled' || t.status === 'due' || t.status === 'blocked';
const within = (t: Tranche, from: string, to: string) => t.dueDate !== null && t.dueDate >= from && t.dueDate <= to;

/** An amount in short form above a bar: "¥12.3万", "¥12.3K". */
function shortYuan(fen: number, language: Language): string {
  return `¥${new Intl.NumberFormat(language, { notation: 'compact', maximumFractionDigits: 1 }).format(fen / 100)}`;
}

/**
 * The finance dashboard (finance, audit, auditors): the totals of retention, what falls due in the next
 * three years by quarter, every tranche per contract (finance records releases with their vouchers), the
 * CSV export, and the money blocks in force.
 */
export function FinancePage() {
  const t = useText(texts);
  const names = useNames();
  const me = useMe();
  const today = beijingToday();
  const thisQuarter = quarterOf(today);
  const defaultRange = { from: firstDayOf(thisQuarter), to: lastDayOf(shiftQuarters(thisQuarter, QUARTERS_AHEAD)) };
  const overviewRange = { from: firstDayOf(shiftQuarters(thisQuarter, -QUARTERS_BACK)), to: defaultRange.to };

  const [range, setRange] = useState(defaultRange);
  const [releasing, setReleasing] = useState<string | null>(null);
  const [released, setReleased] = useState<{ contractId: string; trancheNo: number; voucherRef: string } | null>(null);
  /** Tranches released on this page: one from before the range stays in view, now released, rather than vanish. */
  const [releasedHere, setReleasedHere] = useState<string[]>([]);

  const overview = useLoad(async () => {
    const [payable, blocked] = await Promise.all([
      payableBetween(overviewRange.from, overviewRange.to),
      everyPage((limit, offset) => unwrap(api.GET('/retention/blocked', { params: { query: { limit, offset } } })).then((page) => page.items)),
    ]);
    return { payable, blocked };
  }, [overviewRange.from, overviewRange.to]);
  // A range reaching outside the overview's is read on its own; inside it, the overview's tranches serve.
  const outsideOverview = range.from < overviewRange.from || range.to > overviewRange.to;
  const ranged = useLoad(() => (outsideOverview ? payableBetween(range.from, range.to) : Promise.resolve(null)), [range.from, range.to, outsideOverview]);
  // One call with the totals per status of every tranche ever scheduled (the page of items is not needed).
  const allTotals = useLoad(() => unwrap(api.GET('/retention/payable', { params: { query: { ...ALL_DATES, limit: 1, offset: 0 } } })).then((page) => page.totals), []);
  const blocks = useLoad(() => everyPage((limit, offset) => unwrap(api.GET('/payments/blocks', { params: { query: { limit, offset } } })).then((page) => page.items)), []);

  const inRange = outsideOverview ? ranged.data?.items : overview.data?.payable.items.filter((tranche) => within(tranche, range.from, range.to));
  // Money owed does not stop being owed when its quarter ends: earlier tranches still due or blocked stay in view.
  const earlier = new Map<string, Tranche>();
  for (const tranche of [...(overview.data?.payable.items ?? []), ...(overview.data?.blocked ?? [])]) {
    const keptInView = tranche.status === 'due' || tranche.status === 'blocked' || releasedHere.includes(trancheKey(tranche));
    if (keptInView && (tranche.dueDate === null || tranche.dueDate < range.from)) earlier.set(trancheKey(tranche), tranche);
  }
  const contracts = inRange ? byContract([...earlier.values(), ...inRange]) : [];
  const canRelease = me?.role === 'finance';

  const afterRelease = (tranche: Tranche, voucherRef: string) => {
    setReleasing(null);
    setReleased({ contractId: tranche.contractId, trancheNo: tranche.trancheNo, voucherRef });
    setReleasedHere((keys) => [...keys, trancheKey(tranche)]);
    overview.reload();
    ranged.reload();
    allTotals.reload();
  };
  const showRange = (next: { from: string; to: string }) => {
    setReleasedHere([]);
    setReleased(null);
    setReleasing(null);
    setRange(next);
  };
  const openRelease = (key: string) => {
    setReleased(null);
    setReleasing(key);
  };
  const closeRelease = () => {
    const key = releasing;
    setReleasing(null);
    // Back to the button that opened the form, once it is rendered again.
    if (key) setTimeout(() => document.getElementById(`release-button-${key}`)?.focus(), 0);
  };

  return (
    <>
      <h1>{t.title}</h1>
      <p class="hint">{t.intro}</p>
      <ProblemNotice error={overview.error ?? allTotals.error} />

      <section class="card" aria-labelledby="totals-title">
        <h2 id="totals-title">{t.totals}</h2>
        {overview.data && allTotals.data ? (
          <Totals t={t} totals={allTotals.data} payable={overview.data.payable} blocked={overview.data.blocked} thisQuarter={thisQuarter} />
        ) : (
          !overview.error && <p aria-busy="true">{t.loading}</p>
        )}
        <p class="hint">{t.totalsRange}</p>
      </section>

      <section class="card" aria-labelledby="chart-title">
        <h2 id="chart-title">{t.chartTitle}</h2>
        {overview.data && (
          <BarChart
            testId="retention-chart"
            bars={quarterBars(overview.data.payable.items, thisQuarter, t, names.language)}
            caption={t.chartCaption}
            labelHeader={t.quarter}
            valueHeader={t.amount}
          />
        )}
      </section>

      <section class="card" aria-labelledby="contracts-title">
        <h2 id="contracts-title">{t.byContract}</h2>
        <RangeForm t={t} range={range} onRange={showRange} defaultRange={defaultRange} />
        <CsvExport t={t} range={range} />
        <ProblemNotice error={ranged.error} />
        {!inRange && !overview.error && !ranged.error && <p aria-busy="true">{t.loading}</p>}
        {inRange && (
          <>
            {earlier.size > 0 && <p class="hint">{t.earlierHint}</p>}
            {contracts.length === 0 && <p data-testid="tranches-empty">{t.empty}</p>}
            {contracts.map((contract) => (
              <ContractTranches
                key={contract.contractId}
                t={t}
                contract={contract}
                earlier={earlier}
                canRelease={canRelease}
                releasing={releasing}
                released={released?.contractId === contract.contractId ? t.releasedNotice(released.contractId, released.trancheNo, released.voucherRef) : null}
                onOpen={openRelease}
                onClose={closeRelease}
                onReleased={afterRelease}
              />
            ))}
          </>
        )}
      </section>

      <section class="card" aria-labelledby="blocks-title">
        <h2 id="blocks-title">{t.blocks}</h2>
        <p class="hint">{t.blocksIntro}</p>
        <ProblemNotice error={blocks.error} />
        {blocks.data && blocks.data.length === 0 && <p>{t.noBlocks}</p>}
        {blocks.data && blocks.data.length > 0 && <BlocksTable t={t} blocks={blocks.data} />}
      </section>
    </>
  );
}

/** One contract's tranches; finance opens the release form on a due tranche, in a row below it. */
function ContractTranches(props: {
  t: FinanceTexts;
  contract: { contractId: string; projectId: string; tranches: Tranche[] };
  earlier: Map<string, Tranche>;
  canRelease: boolean;
  releasing: string | null;
  released: string | null;
  onOpen: (key: string) => void;
  onClose: () => void;
  onReleased: (tranche: Tranche, voucherRef: string) => void;
}) {
  const { t, contract, earlier, canRelease, releasing } = props;
  const names = useNames();
  const headingId = `contract-${contract.contractId}`;
  return (
    <div class="finance-contract" data-testid={headingId}>
      <h3 id={headingId}>
        {t.contract} {contract.contractId} · {t.project} <a href={href('projects', contract.projectId)}>{contract.projectId}</a>
      </h3>
      {props.released && <ReleasedNotice text={props.released} />}
      <table aria-labelledby={headingId}>
        <thead>
          <tr>
            <th scope="col" class="num">{t.trancheNo}</th>
            <th scope="col" class="num">{t.amount}</th>
            <th scope="col">{t.dueDate}</th>
            <th scope="col">{t.condition}</th>
            <th scope="col">{t.status}</th>
            <th scope="col">{t.blockedReason}</th>
            <th scope="col">{t.voucher}</th>
            {canRelease && <th scope="col">{t.action}</th>}
          </tr>
        </thead>
        <tbody>
          {contract.tranches.map((tranche) => {
            const key = trancheKey(tranche);
            const open = releasing === key;
            return (
              <Fragment key={key}>
                <tr data-testid={`tranche-${tranche.contractId}-${tranche.trancheNo}`} data-status={tranche.status}>
                  <td class="num" id={`tranche-label-${key}`}>{tranche.trancheNo}</td>
                  <td class="num">{yuan(tranche.amountFen)}</td>
                  <td>
                    {tranche.dueDate ?? '—'}
                    {earlier.has(key) && <div class="hint">{t.beforeRange}</div>}
                  </td>
                  <td>{t.conditions[tranche.condition] ?? tranche.condition}</td>
                  <td>
                    <span class={`badge ${tranche.status}`}>{names.trancheStatus(tranche.status)}</span>
                  </td>
                  <td>{tranche.blockedReason ?? ''}</td>
                  <td>
                    {tranche.voucherRef ?? ''}
                    {tranche.releasedAt && <div class="hint">{t.releasedAt} {beijingTime(tranche.releasedAt)}</div>}
                  </td>
                  {canRelease && (
                    <td>
                      {tranche.status === 'due' && (
                        <button
                          type="button"
                          class="secondary release-button"
                          id={`release-button-${key}`}
                          aria-expanded={open}
                          aria-controls={open ? `release-form-${key}` : undefined}
                          aria-describedby={`${headingId} tranche-label-${key}`}
                          onClick={() => (open ? props.onClose() : props.onOpen(key))}
                        >
                          {t.release}
                        </button>
                      )}
                    </td>
                  )}
                </tr>
                {open && (
                  <tr class="release-row">
                    <td colSpan={8}>
                      <ReleaseForm t={t} tranche={tranche} onReleased={(voucherRef) => props.onReleased(tranche, voucherRef)} onClose={props.onClose} />
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** The four totals; each card carries its amount in fen (data-fen) besides the words. */
function Totals({ t, totals, payable, blocked, thisQuarter }: { t: FinanceTexts; totals: Payable['totals']; payable: { items: Tranche[] }; blocked: Tranche[]; thisQuarter: Quarter }) {
  // Due this quarter: what is payable now (due, whenever it fell due) and what is scheduled to fall due by the quarter's end.
  const scheduledThisQuarter = payable.items.filter((tranche) => tranche.status === 'scheduled' && within(tranche, firstDayOf(thisQuarter), lastDayOf(thisQuarter)));
  const cards = [
    { id: 'total-withheld', label: t.withheld, fen: totals.scheduled.amountFen + totals.due.amountFen + totals.blocked.amountFen, hint: t.withheldHint(totals.scheduled.count + totals.due.count + totals.blocked.count) },
    {
      id: 'total-due-quarter', label: t.dueQuarter, fen: totals.due.amountFen + sumFen(scheduledThisQuarter),
      hint: t.dueQuarterHint(t.quarterLong(thisQuarter.year, thisQuarter.quarter), totals.due.count + scheduledThisQuarter.length),
    },
    { id: 'total-released', label: t.released, fen: totals.released.amountFen, hint: t.count(totals.released.count) },
    { id: 'total-blocked', label: t.blocked, fen: sumFen(blocked), hint: t.count(blocked.length) },
  ];
  return (
    <div class="grid">
      {cards.map((card) => (
        <div key={card.id} class="stat" data-testid={card.id} data-fen={card.fen}>
          <div class="label">{card.label}</div>
          <div class="value">{yuan(card.fen)}</div>
          <div class="hint">{card.hint}</div>
        </div>
      ))}
    </div>
  );
}

/** Twelve bars, this quarter first: the retention still to be paid whose due date falls in each quarter. */
function quarterBars(tranches: Tranche[], thisQuarter: Quarter, t: FinanceTexts, language: Language): Bar[] {
  return Array.from({ length: CHART_QUARTERS }, (_, i) => {
    const quarter = shiftQuarters(thisQuarter, i);
    const fen = sumFen(tranches.filter((tranche) => isHeld(tranche) && within(tranche, firstDayOf(quarter), lastDayOf(quarter))));
    return {
      key: `${quarter.year}-Q${quarter.quarter}`,
      label: t.quarterShort(quarter.year, quarter.quarter),
      value: fen,
      shortText: shortYuan(fen, language),
      description: `${t.quarterLong(quarter.year, quarter.quarter)}: ${yuan(fen)}`,
      valueText: yuan(fen),
    };
  });
}

/** Tranches grouped by contract, contracts in the order their first tranche comes, tranches by number. */
function byContract(tranches: Tranche[]): { contractId: string; projectId: string; tranches: Tranche[] }[] {
  const contracts = new Map<string, { contractId: string; projectId: string; tranches: Tranche[] }>();
  for (const tranche of tranches) {
    const contract = contracts.get(tranche.contractId) ?? { contractId: tranche.contractId, projectId: tranche.projectId, tranches: [] };
    if (!contract.tranches.some((known) => known.trancheNo === tranche.trancheNo)) contract.tranches.push(tranche);
    contracts.set(tranche.contractId, contract);
  }
  return [...contracts.values()].map((contract) => ({ ...contract, tranches: [...contract.tranches].sort((a, b) => a.trancheNo - b.trancheNo) }));
}

/** The due-date range of the table and the export; applied on submit, so typing a date reads nothing. */
function RangeForm({ t, range, onRange, defaultRange }: { t: FinanceTexts; range: { from: string; to: string }; onRange: (range: { from: string; to: string }) => void; defaultRange: { from: string; to: string } }) {
  const [from, setFrom] = useState(range.from);
  const [to, setTo] = useState(range.to);
  const [backwards, setBackwards] = useState(false);
  const submit = (event: Event) => {
    event.preventDefault();
    const backwardsNow = to < from;
    setBackwards(backwardsNow);
    if (!backwardsNow) onRange({ from, to });
  };
  const reset = () => {
    setFrom(defaultRange.from);
    setTo(defaultRange.to);
    setBackwards(false);
    onRange(defaultRange);
  };
  return (
    <form class="row range-form" onSubmit={submit} data-testid="range-form">
      <div>
        <label for="range-from">{t.rangeFrom}</label>
        <input id="range-from" type="date" required value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
      </div>
      <div>
        <label for="range-to">{t.rangeTo}</label>
        <input id="range-to" type="date" required value={to} onInput={(e) => setTo(e.currentTarget.value)} aria-invalid={backwards} aria-describedby={backwards ? 'range-error' : undefined} />
      </div>
      <div>
        <button type="submit">{t.show}</button>
        <button type="button" class="secondary" onClick={reset}>{t.resetRange}</button>
      </div>
      {backwards && <p class="field-error" id="range-error" role="alert">{t.rangeBackwards}</p>}
    </form>
  );
}

/**
 * The CSV of the range. The route needs the bearer header, so a plain link cannot fetch it: the typed
 * client reads it as a blob and the browser saves it from an object URL.
 */
function CsvExport({ t, range }: { t: FinanceTexts; range: { from: string; to: string } }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const download = async () => {
    setBusy(true);
    setError(null);
    try {
      const csv = await unwrap(api.GET('/retention/payable.csv', { params: { query: { from: range.from, to: range.to } }, parseAs: 'blob' }));
      const url = URL.createObjectURL(csv);
      const link = document.createElement('a');
      link.href = url;
      link.download = `retention-payable-${range.from}-${range.to}.csv`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 0);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="csv-export">
      <button type="button" class="secondary" data-testid="export-csv" disabled={busy} aria-describedby="export-hint" onClick={() => void download()}>
        {t.exportCsv}
      </button>
      <span class="hint" id="export-hint">{t.exportHint}</span>
      <ProblemNotice error={error} />
    </div>
  );
}

/** The inline form recording one release: the voucher, confirmed or cancelled (Esc) by keyboard. */
function ReleaseForm({ t, tranche, onReleased, onClose }: { t: FinanceTexts; tranche: Tranche; onReleased: (voucherRef: string) => void; onClose: () => void }) {
  const key = trancheKey(tranche);
  const [voucherRef, setVoucherRef] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    input.current?.focus();
  }, []);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const voucher = voucherRef.trim();
      await unwrap(api.POST('/contracts/{contractId}/retention/releases', { params: { path: { contractId: tranche.contractId } }, body: { trancheNo: tranche.trancheNo, voucherRef: voucher } }));
      onReleased(voucher);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <form
      id={`release-form-${key}`}
      class="release-form"
      data-testid={`release-form-${key}`}
      onSubmit={(event) => void submit(event)}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          onClose();
        }
      }}
    >
      <fieldset>
        <legend>{t.releaseLegend(tranche.contractId, tranche.trancheNo)} · {yuan(tranche.amountFen)}</legend>
        <label for={`voucher-${key}`}>{t.voucherLabel}</label>
        <input
          id={`voucher-${key}`}
          ref={input}
          name="voucherRef"
          required
          maxLength={100}
          autoComplete="off"
          value={voucherRef}
          onInput={(e) => setVoucherRef(e.currentTarget.value)}
          aria-describedby={`voucher-hint-${key}`}
        />
        <p class="hint" id={`voucher-hint-${key}`}>{t.voucherHint}</p>
        <ProblemNotice error={error} />
        <button type="submit" disabled={busy}>{t.confirm}</button>
        <button type="button" class="secondary" onClick={onClose}>{t.cancel}</button>
      </fieldset>
    </form>
  );
}

/** The release recorded: announced, and focused, since the form that had the focus is gone. */
function ReleasedNotice({ text }: { text: string }) {
  const notice = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    notice.current?.focus();
  }, []);
  return (
    <p class="notice" role="status" tabIndex={-1} ref={notice} data-testid="release-notice">
      {text}
    </p>
  );
}

function BlocksTable({ t, blocks }: { t: FinanceTexts; blocks: PaymentBlock[] }) {
  const names = useNames();
  return (
    <table data-testid="payment-blocks">
      <thead>
        <tr>
          <th scope="col">{t.project}</th>
          <th scope="col">{t.unit}</th>
          <th scope="col">{t.scope}</th>
          <th scope="col">{t.reason}</th>
          <th scope="col">{t.rule}</th>
          <th scope="col">{t.since}</th>
        </tr>
      </thead>
      <tbody>
        {blocks.map((block) => (
          <tr key={`${block.projectId}|${block.scope}|${block.since}`} data-testid={`payment-block-${block.projectId}-${block.scope}`}>
            <td>
              <a href={href('projects', block.projectId)}>{block.projectName}</a>
              <div class="hint">{block.projectId} · {names.jurisdiction(block.jurisdiction)}</div>
            </td>
            <td>{block.unit}</td>
            <td>{names.blockScope(block.scope)}</td>
            <td>{block.reason}</td>
            <td data-testid="block-rule">{block.rule}</td>
            <td>{beijingTime(block.since)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
