import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBase64, IsObject, ValidateNested } from 'class-validator';
import { IsPresent } from '../common/validation.pipe';

/** As many payloads as one history event holds and more; the body limit (1 MB) bounds the rest. */
export const MAX_CODEC_PAYLOADS = 1_000;

/** A Temporal Payload in protobuf JSON: every byte field base64, as the UI and the CLI send it. */
export class JsonPayloadDto {
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string', format: 'byte' },
    description: 'Metadata values, base64 (e.g. encoding "anNvbi9wbGFpbg==" for json/plain)',
    example: { encoding: 'anNvbi9wbGFpbg==' },
  })
  @IsPresent()
  @IsObject()
  metadata?: Record<string, string>;

  @ApiPropertyOptional({ type: 'string', format: 'byte', description: 'The payload bytes, base64', example: 'eyJvayI6dHJ1ZX0=' })
  @IsPresent()
  @IsBase64()
  data?: string;
}

export class CodecPayloadsDto {
  @ApiProperty({ type: [JsonPayloadDto], maxItems: MAX_CODEC_PAYLOADS })
  @IsArray()
  @ArrayMaxSize(MAX_CODEC_PAYLOADS)
  @ValidateNested({ each: true })
  @Type(() => JsonPayloadDto)
  payloads: JsonPayloadDto[];
}
