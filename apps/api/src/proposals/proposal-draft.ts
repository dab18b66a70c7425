import {
  type FieldError,
  type ProposalData,
  type StandardsCatalogue,
} from '../../../../libs/domain';
import type { CreateProposalDto, UpdateProposalDto } from './proposal.dto';

/** Applies a validated body onto a draft: given fields replace, null clears, absent keeps. */
export function mergeDraft(current: ProposalData | null, body: CreateProposalDto | UpdateProposalDto): ProposalData {
  const next: Record<string, unknown> = { ...(current ?? {}) };
  for (const [key, value] of Object.entries(toPlain(body))) {
    if (value === undefined) continue;
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next as unknown as ProposalData;
}

/**
 * class-transformer instances carry prototypes, and (with ES2022 class fields) an own
 * `undefined` for every field the client left out; the stored data is plain JSON without them.
 */
function toPlain(body: object): Record<string, unknown> {
  return JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
}

/**
 * Rules that need more than one field or the catalogue: years within the horizon, standard
 * codes that exist, one answer per standard. Reported like field validation, with paths.
 */
export function draftProblems(data: ProposalData, catalogue: StandardsCatalogue, defaultHorizonYears: number): FieldError[] {
  const problems: FieldError[] = [];
  const horizon = data.horizonYears ?? defaultHorizonYears;
  const checkYears = (lines: { year: number }[] | undefined, name: string) =>
    lines?.forEach((line, i) => {
      if (line.year > horizon) problems.push({ field: `${name}[${i}].year`, message: `${name}[${i}].year must be from 1 to horizonYears (${horizon})` });
    });
  checkYears(data.costs, 'costs');
  checkYears(data.benefits, 'benefits');

  const known = new Set(catalogue.standards.map((s) => s.code));
  const seen = new Set<string>();
  data.selfAssessment?.forEach((answer, i) => {
    const field = `selfAssessment[${i}].standardCode`;
    if (!known.has(answer.standardCode)) {
      problems.push({ field, message: `${answer.standardCode} is not a standard of catalogue ${catalogue.version}` });
    } else if (seen.has(answer.standardCode)) {
      problems.push({ field, message: `${answer.standardCode} is answered more than once` });
    }
    seen.add(answer.standardCode);
  });
  return problems;
}
