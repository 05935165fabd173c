import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsObject, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';

const PERIOD = /^\d{4}-\d{2}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

// Shapes only: the domain's value objects decide what a valid national id, period or date is.

export class DecisionDto {
  @IsString() @IsNotEmpty() @MaxLength(60) number!: string;
  @IsString() @Matches(DATE, { message: 'date must be a date YYYY-MM-DD' }) date!: string;
}

export class EnrollBeneficiaryDto {
  @IsString() @IsNotEmpty() nationalId!: string;
  @IsString() @IsNotEmpty() @MaxLength(100) fullName!: string;
  @IsString() @Matches(DATE, { message: 'dateOfBirth must be a date YYYY-MM-DD' }) dateOfBirth!: string;
  @IsIn(['MALE', 'FEMALE']) gender!: 'MALE' | 'FEMALE';
  @IsString() @IsNotEmpty() @MaxLength(20) unitCode!: string;
  @IsString() @IsNotEmpty() @MaxLength(40) program!: string;
  @IsInt() coefficient!: number;
  @IsString() @Matches(PERIOD, { message: 'effectiveFrom must be a period YYYY-MM' }) effectiveFrom!: string;
  @IsObject() @ValidateNested() @Type(() => DecisionDto) decision!: DecisionDto;
}

export class SuspendEnrollmentDto {
  @IsString() @IsNotEmpty() @MaxLength(500) reason!: string;
  @IsString() @Matches(PERIOD, { message: 'effectiveFrom must be a period YYYY-MM' }) effectiveFrom!: string;
}

export class ResumeEnrollmentDto {
  @IsString() @Matches(PERIOD, { message: 'effectiveFrom must be a period YYYY-MM' }) effectiveFrom!: string;
}

export class TerminateEnrollmentDto {
  @IsIn(['DECEASED', 'NO_LONGER_ELIGIBLE', 'MOVED_OUT']) reason!: 'DECEASED' | 'NO_LONGER_ELIGIBLE' | 'MOVED_OUT';
  @IsString() @Matches(DATE, { message: 'effectiveDate must be a date YYYY-MM-DD' }) effectiveDate!: string;
}

export class CorrectTerminationDto {
  @IsString() @Matches(DATE, { message: 'effectiveDate must be a date YYYY-MM-DD' }) effectiveDate!: string;
  @IsString() @IsNotEmpty() @MaxLength(500) reason!: string;
}

export class RevokeTerminationDto {
  @IsString() @IsNotEmpty() @MaxLength(500) reason!: string;
}

export class RelocateBeneficiaryDto {
  @IsString() @IsNotEmpty() @MaxLength(20) unitCode!: string;
}

export class OpenPaymentAccountDto {
  @IsString() @IsNotEmpty() bankCode!: string;
  @IsString() @IsNotEmpty() accountNumber!: string;
  @IsString() @IsNotEmpty() @MaxLength(100) holderName!: string;
  @IsString() @Matches(DATE, { message: 'openedOn must be a date YYYY-MM-DD' }) openedOn!: string;
}

export class AccountReasonDto {
  @IsString() @IsNotEmpty() @MaxLength(500) reason!: string;
}
