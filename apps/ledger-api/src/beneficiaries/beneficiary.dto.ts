import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsObject, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ACCOUNT_STATUSES, GENDERS, TERMINATION_REASONS, wire } from '../platform/openapi/wire-formats.js';

const PERIOD = /^\d{4}-\d{2}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

// Shapes only: the domain's value objects decide what a valid national id, period or date is.

/** The administrative decision that grants the enrollment. */
export class DecisionDto {
  @ApiProperty({ minLength: 1, maxLength: 60, example: '123/QĐ-UBND', description: 'The decision’s number as written on it.' })
  @IsString() @IsNotEmpty() @MaxLength(60) number!: string;
  @ApiProperty({ ...wire.localDate, example: '2023-12-20', description: 'The day it was signed.' })
  @IsString() @Matches(DATE, { message: 'date must be a date YYYY-MM-DD' }) date!: string;
}

/** Enroll a person in a program; the first enrollment registers them. */
export class EnrollBeneficiaryDto {
  @ApiProperty({
    pattern: '^\\d{12}$',
    example: '091052000123',
    description: 'The 12-digit citizen identity number: province of birth, century and gender, year of birth, serial. It must agree with `dateOfBirth` and `gender`. It never appears in a URL.',
  })
  @IsString() @IsNotEmpty() nationalId!: string;
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'Bùi Trung Tài', description: 'As on the identity card, with its accents.' })
  @IsString() @IsNotEmpty() @MaxLength(100) fullName!: string;
  @ApiProperty({ ...wire.localDate, example: '1952-03-14', description: 'Not in the future.' })
  @IsString() @Matches(DATE, { message: 'dateOfBirth must be a date YYYY-MM-DD' }) dateOfBirth!: string;
  @ApiProperty({ enum: GENDERS, example: 'MALE' })
  @IsIn(['MALE', 'FEMALE']) gender!: 'MALE' | 'FEMALE';
  @ApiProperty({ ...wire.unitCode, minLength: 1, description: 'The unit the person lives in (a commune or a district); the operator must work in it.' })
  @IsString() @IsNotEmpty() @MaxLength(20) unitCode!: string;
  @ApiProperty({ ...wire.program, minLength: 1 })
  @IsString() @IsNotEmpty() @MaxLength(40) program!: string;
  @ApiProperty({ type: 'integer', example: 1000, description: 'Thousandths of the program’s standard level (1000 = once the level), within the program’s range.' })
  @IsInt() coefficient!: number;
  @ApiProperty({ ...wire.period, example: '2024-01', description: 'The first month paid.' })
  @IsString() @Matches(PERIOD, { message: 'effectiveFrom must be a period YYYY-MM' }) effectiveFrom!: string;
  @ApiProperty({ type: () => DecisionDto })
  @IsObject() @ValidateNested() @Type(() => DecisionDto) decision!: DecisionDto;
}

export class SuspendEnrollmentDto {
  @ApiProperty({ ...wire.reason, example: 'Hospitalised abroad; decision 12/QĐ-UBND' })
  @IsString() @IsNotEmpty() @MaxLength(500) reason!: string;
  @ApiProperty({ ...wire.period, example: '2024-05', description: 'The first month not paid.' })
  @IsString() @Matches(PERIOD, { message: 'effectiveFrom must be a period YYYY-MM' }) effectiveFrom!: string;
}

export class ResumeEnrollmentDto {
  @ApiProperty({ ...wire.period, example: '2024-07', description: 'The first month paid again; the months suspended before it stay unpaid.' })
  @IsString() @Matches(PERIOD, { message: 'effectiveFrom must be a period YYYY-MM' }) effectiveFrom!: string;
}

export class TerminateEnrollmentDto {
  @ApiProperty({ enum: TERMINATION_REASONS, example: 'DECEASED' })
  @IsIn(['DECEASED', 'NO_LONGER_ELIGIBLE', 'MOVED_OUT']) reason!: 'DECEASED' | 'NO_LONGER_ELIGIBLE' | 'MOVED_OUT';
  @ApiProperty({ ...wire.localDate, example: '2024-03-15', description: 'The month of this date is still paid; the months after it are not (paid ones become overpayments).' })
  @IsString() @Matches(DATE, { message: 'effectiveDate must be a date YYYY-MM-DD' }) effectiveDate!: string;
}

export class CorrectTerminationDto {
  @ApiProperty({ ...wire.localDate, example: '2024-02-20', description: 'The right termination date.' })
  @IsString() @Matches(DATE, { message: 'effectiveDate must be a date YYYY-MM-DD' }) effectiveDate!: string;
  @ApiProperty({ ...wire.reason, example: 'date of death misread from the certificate' })
  @IsString() @IsNotEmpty() @MaxLength(500) reason!: string;
}

export class RevokeTerminationDto {
  @ApiProperty({ ...wire.reason, example: 'terminated by mistake: another person of the same name' })
  @IsString() @IsNotEmpty() @MaxLength(500) reason!: string;
}

export class RelocateBeneficiaryDto {
  @ApiProperty({ ...wire.unitCode, minLength: 1, example: '900', description: 'The unit the person moved to; the operator must work in both.' })
  @IsString() @IsNotEmpty() @MaxLength(20) unitCode!: string;
}

export class OpenPaymentAccountDto {
  @ApiProperty({ pattern: '^[A-Z0-9]{2,12}$', example: 'VBA', description: 'The bank’s code: 2 to 12 upper-case letters or digits (not POST_OFFICE, which pays cash).' })
  @IsString() @IsNotEmpty() bankCode!: string;
  @ApiProperty({ minLength: 1, pattern: '^\\d{6,19}$', example: '7700205123456', description: 'Digits only. It never appears in a URL; reporters read it masked.' })
  @IsString() @IsNotEmpty() accountNumber!: string;
  @ApiProperty({
    minLength: 1,
    maxLength: 100,
    example: 'BUI TRUNG TAI',
    description: 'As the bank holds it. When it does not match the beneficiary’s name, or the account is already another beneficiary’s, the account opens UNVERIFIED.',
  })
  @IsString() @IsNotEmpty() @MaxLength(100) holderName!: string;
  @ApiProperty({ ...wire.localDate, example: '2024-03-01' })
  @IsString() @Matches(DATE, { message: 'openedOn must be a date YYYY-MM-DD' }) openedOn!: string;
}

export class AccountReasonDto {
  @ApiProperty({ ...wire.reason, example: 'Holder name confirmed with the bank by phone' })
  @IsString() @IsNotEmpty() @MaxLength(500) reason!: string;
}

/** A beneficiary enrolled: their id, derived from the national id, so enrolling again names the same person. */
export class BeneficiaryEnrolledDto {
  @ApiProperty({ ...wire.uuid, description: 'The beneficiary’s id (a UUID keyed from the national id).' })
  beneficiaryId!: string;
  @ApiProperty(wire.writtenPosition)
  position!: string | null;
}

/** An enrollment changed, and what that did to the person’s payments on other streams. */
export class EnrollmentChangedDto extends BeneficiaryEnrolledDto {
  @ApiPropertyOptional({ ...wire.count, description: 'Months scheduled or unpaid that the change cancelled.' })
  cancelledDisbursements?: number;
  @ApiPropertyOptional({ ...wire.count, description: 'Months already paid that the change made overpayments.' })
  overpayments?: number;
  @ApiPropertyOptional({ ...wire.count, description: 'Cancelled months the change made owed again.' })
  reinstatedDisbursements?: number;
  @ApiPropertyOptional({ ...wire.count, description: 'Overpayments the change withdrew (the month was owed after all).' })
  withdrawnOverpayments?: number;
}

export class BeneficiaryRelocatedDto extends BeneficiaryEnrolledDto {
  @ApiProperty({ ...wire.count, description: 'Unpaid payments that moved to the new unit with the person.' })
  movedDisbursements!: number;
}

export class PaymentAccountChangedDto extends BeneficiaryEnrolledDto {
  @ApiProperty({ ...wire.uuid, example: '8c1e0b7a-3d4f-5a6b-9c8d-7e6f5a4b3c2d' })
  accountId!: string;
  @ApiProperty({ enum: ACCOUNT_STATUSES, example: 'VERIFIED' })
  status!: string;
  @ApiPropertyOptional({ enum: ['NAME_MISMATCH', 'SHARED_ACCOUNT'], description: 'Why an UNVERIFIED account is held so: payments go to the Post Office until it is verified.' })
  unverifiedReason?: string;
}
