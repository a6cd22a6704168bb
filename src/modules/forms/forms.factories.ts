import type { DB } from '../../db/client.js';
import type { FormDefinition } from './form-logic.js';
import type { LoadedForm } from './forms.queries.js';
import { createForm } from './save-form.js';

/**
 * A billing form in English and Arabic for tests: "What is the problem?" → "Charged twice" reveals the charge date
 * and amount (required), "Refund" reveals the order id (required-if), a description, an optional screenshot and
 * the hidden article context.
 */
export function billingFormDefinition(): FormDefinition {
  return {
    defaultLocale: 'en',
    title: { en: 'Billing', ar: 'الفوترة' },
    description: { en: 'Charges, refunds and invoices.', ar: 'الرسوم والمبالغ المستردة والفواتير.' },
    submitLabel: { en: 'Send to support', ar: 'إرسال إلى الدعم' },
    confirmation: { en: 'Thanks, we have your request.', ar: 'شكرًا، وصلنا طلبك.' },
    fields: [
      {
        name: 'problem',
        type: 'radio',
        label: { en: 'What is the problem?', ar: 'ما المشكلة؟' },
        required: true,
        role: 'category',
        options: [
          { value: 'charged_twice', label: { en: 'Charged twice', ar: 'خُصم المبلغ مرتين' }, category: 'billing' },
          { value: 'refund', label: { en: 'Refund', ar: 'استرداد المبلغ' }, category: 'billing' },
          { value: 'other', label: { en: 'Something else', ar: 'شيء آخر' } },
        ],
      },
      {
        name: 'charge_date',
        type: 'date',
        label: { en: 'Date of the charge', ar: 'تاريخ الخصم' },
        showIf: { field: 'problem', op: 'equals', value: 'charged_twice' },
        requireIf: { field: 'problem', op: 'equals', value: 'charged_twice' },
      },
      {
        name: 'amount',
        type: 'number',
        label: { en: 'Amount charged', ar: 'المبلغ المخصوم' },
        min: 0,
        max: 100000,
        showIf: { field: 'problem', op: 'equals', value: 'charged_twice' },
        requireIf: { field: 'problem', op: 'equals', value: 'charged_twice' },
      },
      {
        name: 'order_id',
        type: 'text',
        label: { en: 'Order id', ar: 'رقم الطلب' },
        maxLength: 40,
        showIf: { field: 'problem', op: 'equals', value: 'refund' },
        requireIf: { field: 'problem', op: 'equals', value: 'refund' },
      },
      {
        name: 'subject',
        type: 'text',
        role: 'subject',
        label: { en: 'Subject', ar: 'الموضوع' },
        required: true,
        maxLength: 200,
      },
      {
        name: 'description',
        type: 'textarea',
        role: 'description',
        label: { en: 'Describe what happened', ar: 'صف ما حدث' },
        required: true,
        maxLength: 5000,
      },
      {
        name: 'email',
        type: 'email',
        role: 'email',
        label: { en: 'Your email', ar: 'بريدك الإلكتروني' },
        required: true,
      },
      {
        name: 'screenshot',
        type: 'file',
        label: { en: 'Screenshot (optional)', ar: 'لقطة شاشة (اختياري)' },
        accept: ['image/*', 'application/pdf'],
        maxBytes: 2 * 1024 * 1024,
      },
      { name: 'article', type: 'hidden', label: { en: 'Article' }, context: 'article' },
    ],
  };
}

/** Creates a form (default: the billing form under key "billing"). */
export async function buildForm(
  db: DB,
  options: { key?: string; definition?: FormDefinition; enabled?: boolean } = {},
): Promise<LoadedForm> {
  return createForm(db, {
    key: options.key ?? 'billing',
    definition: options.definition ?? billingFormDefinition(),
    ...(options.enabled === undefined ? {} : { enabled: options.enabled }),
  });
}
