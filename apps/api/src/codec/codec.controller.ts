import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { AppConfig } from '../../../../libs/config';
import { DomainError, ROLE_ACCESS, type FieldError } from '../../../../libs/domain';
import { temporalDataConverter } from '../../../../libs/temporal';
import { UNDECODABLE_ENCODING } from '../../../../libs/temporal/src/payload.converter';
import { Roles } from '../auth/auth.decorators';
import { ApiProblems } from '../common/api-problems';
import { APP_CONFIG } from '../core.module';
import { CodecPayloadsDto, JsonPayloadDto } from './codec.dto';

/** Under the API base: the UI's and the CLI's codec endpoint is `<API base>/codec`. */
export const CODEC_ROUTE = 'codec';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Temporal's codec-server protocol, so the Temporal UI and CLI show encrypted payloads in clear to
 * an administrator (README "Encrypted payloads"). The payloads are the engine's, with the keys
 * this deployment is configured with; plain payloads (written before the codec) pass unchanged.
 */
@ApiTags('operations')
@ApiBearerAuth()
@Roles(...ROLE_ACCESS.readEnginePayloads)
@ApiHeader({ name: 'X-Namespace', required: false, description: 'Sent by the Temporal UI and CLI; one key set serves every namespace of this deployment' })
@Controller(CODEC_ROUTE)
export class CodecController {
  private readonly codecs: PayloadCodec[];

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.codecs = temporalDataConverter(config.temporal).payloadCodecs ?? [];
  }

  @Post('decode')
  @HttpCode(200)
  @ApiOperation({ summary: 'Decrypt Temporal payloads (codec-server protocol), for the Temporal UI and CLI' })
  @ApiOkResponse({ type: CodecPayloadsDto })
  @ApiProblems(400, 401, 403, 413)
  async decode(@Body() body: CodecPayloadsDto): Promise<CodecPayloadsDto> {
    let payloads = body.payloads.map(fromJson);
    for (const codec of [...this.codecs].reverse()) payloads = await codec.decode(payloads);
    const undecodable: FieldError[] = payloads.flatMap((p, i) =>
      text(p.metadata?.encoding) === UNDECODABLE_ENCODING ? [{ field: `payloads[${i}]`, message: `could not be decoded: ${text(p.data)}` }] : [],
    );
    if (undecodable.length) throw new DomainError('VALIDATION_FAILED', `${undecodable.length} payload(s) could not be decoded with the configured keys.`, { errors: undecodable });
    return { payloads: payloads.map(toJson) };
  }

  @Post('encode')
  @HttpCode(200)
  @ApiOperation({ summary: 'Encrypt Temporal payloads with the newest key (codec-server protocol), e.g. for `temporal workflow start --codec-endpoint`' })
  @ApiOkResponse({ type: CodecPayloadsDto })
  @ApiProblems(400, 401, 403, 413)
  async encode(@Body() body: CodecPayloadsDto): Promise<CodecPayloadsDto> {
    let payloads = body.payloads.map(fromJson);
    for (const codec of this.codecs) payloads = await codec.encode(payloads);
    return { payloads: payloads.map(toJson) };
  }
}

function text(bytes: Uint8Array | null | undefined): string {
  return Buffer.from(bytes ?? []).toString('utf8');
}

function fromJson(payload: JsonPayloadDto, index: number): Payload {
  const metadata: Record<string, Uint8Array> = {};
  for (const [key, value] of Object.entries(payload.metadata ?? {})) {
    if (typeof value !== 'string' || !BASE64.test(value)) {
      throw new DomainError('VALIDATION_FAILED', 'The request has 1 invalid field(s).', { errors: [{ field: `payloads[${index}].metadata.${key}`, message: 'must be base64' }] });
    }
    metadata[key] = Buffer.from(value, 'base64');
  }
  return { metadata, data: Buffer.from(payload.data ?? '', 'base64') };
}

function toJson(payload: Payload): JsonPayloadDto {
  return {
    metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value ?? []).toString('base64')])),
    data: Buffer.from(payload.data ?? []).toString('base64'),
  };
}
