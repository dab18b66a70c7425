import { Inject, Injectable, type StreamableFile } from '@nestjs/common';
import { mayReach, type Actor } from '../../../../libs/domain';
import type { OutcomeCondition, OutcomePage, OutcomeRow, PortfolioPeriod, PortfolioReport } from '../../../../libs/http-contract';
import { OversightRepository, type OutcomeFilter, type OutcomeVerdicts } from '../../../../libs/persistence';
import { ReferenceDataService } from '../reference/reference-data.service';
import { csvChunks, csvDownload, type CsvValue } from './csv';
import type { ListOutcomesQuery, OutcomeFiltersQuery, PortfolioQuery } from './oversight.dto';

const OUTCOME_CSV_HEADER = [
  'proposalId',
  'title',
  'agencyCode',
  'tier',
  'outcome',
  'requestedAmount',
  'approvedAmount',
  'submittedAt',
  'decidedAt',
  'cycleDays',
  'conditionCount',
  'conditions',
  'catalogueVersion',
  'policyVersion',
] as const;

const VERDICT_CSV_HEADER = [
  'proposalId',
  'title',
  'agencyCode',
  'outcome',
  'reviewType',
  'standardCode',
  'verdict',
  'comment',
  'decidedBy',
  'decidedAt',
] as const;

/** One line per condition inside the cell: "2027-03-31 [SEC-02] text (TECHNICAL_REVIEW)". */
function describeConditions(conditions: OutcomeCondition[]): string {
  return conditions
    .map((c) => [c.dueDate, c.standardCode ? `[${c.standardCode}]` : '', c.text, c.source ? `(${c.source})` : ''].filter(Boolean).join(' '))
    .join('\n');
}

function outcomeRecord(row: OutcomeRow): CsvValue[][] {
  return [
    [
      row.proposalId,
      row.title,
      row.agencyCode,
      row.tier,
      row.outcome,
      row.requestedAmount,
      row.approvedAmount,
      row.submittedAt,
      row.decidedAt,
      row.cycleDays,
      row.conditions.length,
      describeConditions(row.conditions),
      row.catalogueVersion,
      row.policyVersion,
    ],
  ];
}

function verdictRecords(outcome: OutcomeVerdicts): CsvValue[][] {
  return outcome.verdicts.map((v) => [
    outcome.proposalId,
    outcome.title,
    outcome.agencyCode,
    outcome.outcome,
    v.reviewType,
    v.standardCode,
    v.verdict,
    v.comment,
    v.decidedBy,
    v.decidedAt,
  ]);
}

/** The calendar date of an instant in a time zone, yyyy-mm-dd. */
export function localDate(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

@Injectable()
export class OversightService {
  constructor(
    @Inject(OversightRepository) private readonly oversight: OversightRepository,
    @Inject(ReferenceDataService) private readonly reference: ReferenceDataService,
  ) {}

  async listOutcomes(actor: Actor, query: ListOutcomesQuery): Promise<OutcomePage> {
    const { items, total } = await this.oversight.listOutcomes(await this.filterFor(actor, query), query.page, query.pageSize);
    return { items, total, page: query.page, pageSize: query.pageSize };
  }

  async outcomesCsv(actor: Actor, query: OutcomeFiltersQuery): Promise<StreamableFile> {
    const pages = this.oversight.outcomePages(await this.filterFor(actor, query));
    return csvDownload(csvChunks(OUTCOME_CSV_HEADER, pages, outcomeRecord), 'outcomes.csv');
  }

  async verdictsCsv(actor: Actor, query: OutcomeFiltersQuery): Promise<StreamableFile> {
    const pages = this.oversight.verdictPages(await this.filterFor(actor, query));
    return csvDownload(csvChunks(VERDICT_CSV_HEADER, pages, verdictRecords), 'verdicts.csv');
  }

  /**
   * The figures of the period (by default the current calendar year) and, when both baseline
   * dates are given, of the baseline beside it. Days are calendar days of the current policy's
   * time zone.
   */
  async portfolio(query: PortfolioQuery): Promise<PortfolioReport> {
    const timeZone = await this.timeZone();
    const asOf = localDate(new Date(), timeZone);
    const period: PortfolioPeriod = {
      from: query.from ?? `${(query.to ?? asOf).slice(0, 4)}-01-01`,
      to: query.to ?? `${(query.from ?? asOf).slice(0, 4)}-12-31`,
    };
    const baseline: PortfolioPeriod | null = query.baselineFrom && query.baselineTo ? { from: query.baselineFrom, to: query.baselineTo } : null;
    const [current, reference] = await this.oversight.portfolio(baseline ? [period, baseline] : [period], timeZone, asOf);
    return {
      asOf,
      timeZone,
      period: { ...period, ...current },
      baseline: baseline ? { ...baseline, ...reference } : null,
      ...current,
    };
  }

  /** An actor without a cross-agency oversight role (an agency) is held to their own agency. */
  private async filterFor(actor: Actor, query: OutcomeFiltersQuery): Promise<OutcomeFilter> {
    const seesAll = mayReach(actor, 'readAllOutcomes');
    return {
      scopeAgencyCode: seesAll ? undefined : actor.agencyCode,
      agencyCode: query.agencyCode,
      tier: query.tier,
      outcome: query.outcome,
      q: query.q,
      from: query.from,
      to: query.to,
      timeZone: await this.timeZone(),
    };
  }

  private async timeZone(): Promise<string> {
    return (await this.reference.currentPolicy()).calendar.timeZone;
  }
}
