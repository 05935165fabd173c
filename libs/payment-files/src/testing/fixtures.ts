import { disbursementIdFor, type LocalDate } from '@ledger/domain';
import type { BankPaymentList, BankTransfer } from '../bank-payment-file/pain001-payment-file.js';

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý'];
const MIDDLE = ['Thị', 'Văn', 'Hữu', 'Ngọc', 'Minh', 'Đức', 'Thanh', 'Quốc'];
const GIVEN = ['Ánh', 'Hằng', 'Dũng', 'Tuấn', 'Hương', 'Phượng', 'Ơn', 'Ưng', 'Thuỷ', 'Nguyệt', 'Khải', 'Đạt', 'Yến', 'Lộc', 'Huệ', "H'Hen"];

/** A Vietnamese name with diacritics, different for each index. */
export function personName(index: number): string {
  return `${FAMILY[index % FAMILY.length]} ${MIDDLE[Math.floor(index / FAMILY.length) % MIDDLE.length]} ${GIVEN[(index * 7) % GIVEN.length]}`;
}

/** The disbursement of a made-up beneficiary for March 2025. */
export function disbursementId(index: number): string {
  return disbursementIdFor(`beneficiary-${index}`, 'SOCIAL_ALLOWANCE', '2025-03');
}

/** Allowances as the standard level times coefficients give them: 500,000 to 3,000,000 đồng, not round. */
export function allowance(index: number): number {
  return 500_000 + ((index * 137_500) % 2_500_000) + (index % 3) * 55_000;
}

export function bankPaymentList(count: number, overrides: Partial<BankPaymentList> = {}): BankPaymentList {
  const transfers: BankTransfer[] = Array.from({ length: count }, (_, index) => ({
    disbursementId: disbursementId(index),
    amount: allowance(index),
    holderName: personName(index),
    accountNumber: String(7_700_205_000_000 + index),
    bankCode: 'VBA',
    remittanceInformation: 'Tro cap xa hoi thang 03/2025',
  }));
  return {
    messageId: 'HT-VBA-2025-03-01',
    createdAt: new Date('2025-03-10T02:00:00Z'),
    requestedExecutionDate: '2025-03-15' as LocalDate,
    payingAccount: { name: 'Sở Lao động - Thương binh và Xã hội tỉnh Hà Tĩnh', accountNumber: '3711000123456', bankBic: 'VBAAVNVX', bankCode: 'VBA' },
    transfers,
    ...overrides,
  };
}
