import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import type { StandardApplicability, StandardArea, StandardDefinition, StandardsCatalogue } from '../../../../libs/http-contract';
import { ApiProblems } from '../common/api-problems';
import { ReferenceDataService } from '../reference/reference-data.service';

class StandardDto implements StandardDefinition {
  @ApiProperty({ example: 'SEC-01' }) code: string;
  @ApiProperty({ type: String, example: 'security' }) area: StandardArea;
  @ApiProperty() title: string;
  @ApiProperty() description: string;
  @ApiProperty() mandatory: boolean;
  @ApiProperty({
    description: 'Which proposals the standard is asked of: tiers and/or flags that must hold; empty means all',
    example: { tiers: ['MEDIUM', 'HIGH'] },
  })
  appliesTo: StandardApplicability;
}

class CatalogueDto implements StandardsCatalogue {
  @ApiProperty({ example: '2026.1' }) version: string;
  @ApiProperty({ type: [StandardDto] }) standards: StandardDto[];
}

const VERSION_PATTERN = /^[A-Za-z0-9._-]{1,40}$/;

class VersionParam {
  @Matches(VERSION_PATTERN, { message: 'version must be 1-40 letters, digits, dots, dashes or underscores' })
  version: string;
}

@ApiTags('standards')
@ApiBearerAuth()
@Controller('standards')
export class StandardsController {
  constructor(@Inject(ReferenceDataService) private readonly reference: ReferenceDataService) {}

  @Get()
  @ApiOperation({ summary: 'The current standards catalogue' })
  @ApiOkResponse({ type: CatalogueDto })
  @ApiProblems(401)
  async current(): Promise<StandardsCatalogue> {
    return this.reference.currentCatalogue();
  }

  @Get('versions/:version')
  @ApiOperation({ summary: 'A published catalogue version' })
  @ApiParam({ name: 'version', required: true, schema: { type: 'string', pattern: VERSION_PATTERN.source } })
  @ApiOkResponse({ type: CatalogueDto })
  @ApiProblems(400, 401, { 404: 'No such version' })
  async version(@Param() params: VersionParam): Promise<StandardsCatalogue> {
    return this.reference.catalogue(params.version);
  }
}
