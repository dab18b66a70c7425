import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';
import type { Role } from '../../../../libs/domain';
import type { SignInOptions, TokenResponse, UserView } from '../../../../libs/http-contract';

export class LoginDto {
  @ApiProperty({ example: 'ana.torres@minsal.example', format: 'email', maxLength: 254 })
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'demo-password', minLength: 1, maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  password: string;
}

export class UserDto implements UserView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: [String], example: ['agency_submitter'] }) roles: Role[];
  @ApiProperty({ example: 'MINSAL' }) agencyCode: string;
  @ApiProperty({ nullable: true, type: String, example: null }) approvalLevel: string | null;
}

class DemoAccountsDto {
  @ApiProperty({ description: 'The password every demo account shares', example: 'demo-password' }) password: string;
  @ApiProperty({ type: [String], example: ['ana.torres@minsal.example'] }) emails: string[];
}

export class SignInOptionsDto implements SignInOptions {
  @ApiProperty({ description: 'Whether e-mail and password sign-in is on (off when an identity provider replaces it)' }) localLogin: boolean;
  @ApiProperty({ type: DemoAccountsDto, nullable: true, description: 'The seeded demo accounts; null in production, which never has them' })
  demoAccounts: DemoAccountsDto | null;
}

export class TokenResponseDto implements TokenResponse {
  @ApiProperty() accessToken: string;
  @ApiProperty({ example: 'Bearer' }) tokenType: 'Bearer';
  @ApiProperty({ description: 'Seconds until the token expires', example: 3600 }) expiresIn: number;
  @ApiProperty({ type: UserDto }) user: UserDto;
}
