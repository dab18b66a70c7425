import type { DomainErrorCode } from '../../../../libs/domain';

export interface HttpMapping {
  status: number;
  title: string;
}

/**
 * The one place domain error codes become HTTP statuses. The switch is exhaustive: a new code
 * does not compile until it is mapped here.
 */
export function httpStatusFor(code: DomainErrorCode): HttpMapping {
  switch (code) {
    case 'VALIDATION_FAILED':
      return { status: 400, title: 'Bad Request' };
    case 'UNAUTHENTICATED':
      return { status: 401, title: 'Unauthorized' };
    case 'FORBIDDEN':
      return { status: 403, title: 'Forbidden' };
    case 'NOT_FOUND':
      return { status: 404, title: 'Not Found' };
    case 'CONFLICT':
    case 'ALREADY_DECIDED':
    case 'ALREADY_APPLIED':
      return { status: 409, title: 'Conflict' };
    case 'PAYLOAD_TOO_LARGE':
      return { status: 413, title: 'Payload Too Large' };
    case 'INVALID_DECISION':
      return { status: 422, title: 'Unprocessable Content' };
    case 'RATE_LIMITED':
      return { status: 429, title: 'Too Many Requests' };
    case 'ENGINE_UNAVAILABLE':
      return { status: 503, title: 'Service Unavailable' };
    default: {
      const unmapped: never = code;
      throw new Error(`unmapped domain error code ${String(unmapped)}`);
    }
  }
}

export function problemType(code: string): string {
  return `https://appraise.example/problems/${code.toLowerCase().replace(/_/g, '-')}`;
}
