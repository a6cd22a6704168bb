import type { DB } from '../../db/client.js';
import { importTaxonomy } from './import-taxonomy.js';
import { addExampleItem } from './record-feedback-item.js';
import type { TaxonomyDocumentInput } from './taxonomy.schema.js';

/** Test factory data: a small two-level taxonomy. */
export const TEST_TAXONOMY: TaxonomyDocumentInput = {
  categories: [
    { slug: 'billing', names: { en: 'Billing', es: 'Facturación' } },
    { slug: 'refunds', parent: 'billing', names: { en: 'Refunds', es: 'Reembolsos' } },
    { slug: 'charges', parent: 'billing', names: { en: 'Unexpected charges' } },
    { slug: 'account', names: { en: 'Account' } },
    { slug: 'login', parent: 'account', names: { en: 'Signing in' }, examples: ["can't log in"] },
    { slug: 'delete-account', parent: 'account', names: { en: 'Deleting an account' } },
  ],
};

/** Test factory data: labeled texts per subcategory, worded differently enough that a model has to generalise. */
export const TEST_EXAMPLES: Record<string, string[]> = {
  refunds: [
    'I want my money back for the yearly plan',
    'how do I get a refund for plus',
    'refund please, I cancelled the same day',
    'still waiting for the refund you promised',
    'can I get reimbursed for the unused months',
    'the refund never arrived on my card',
    'requesting a refund for an accidental purchase',
    'money back guarantee does not work',
    'refund status? it has been two weeks',
    'please return the money for the subscription',
  ],
  charges: [
    'I was charged twice this month',
    'there is a charge on my card I do not recognise',
    'why did you bill me after I cancelled',
    'unexpected payment taken from my account',
    'double charge for the same ad campaign',
    'my bank shows a pinwheel charge I never made',
    'billed more than the price on the page',
    'you took money without asking',
    'strange charge of 9.99 on my statement',
    'charged for plus although I am on the free plan',
  ],
  login: [
    "I can't log in to my account",
    'password reset email never comes',
    'sign in fails with an error',
    'locked out after too many attempts',
    'two factor code is not accepted',
    'login page keeps reloading',
    'forgot my password and the link expired',
    'cannot sign in with google anymore',
    'it says my password is wrong but it is right',
    'the verification code never arrives so I cannot log in',
  ],
  'delete-account': [
    'how do I delete my account forever',
    'please remove all my data and close the account',
    'I want to close my profile permanently',
    'delete account option is missing in settings',
    'erase my account and pins',
    'how to deactivate and delete everything',
    'I asked to delete my account but it is still there',
    'remove my profile from pinwheel',
    'account deletion request',
    'close my account and delete my boards',
  ],
};

/** Creates the test taxonomy and its labeled examples; returns the number of examples. */
export async function buildLabeledData(db: DB, options: { labeledBy?: string } = {}): Promise<number> {
  await importTaxonomy(db, TEST_TAXONOMY);
  const ids = new Map(
    (await db.selectFrom('taxonomy_categories').select(['id', 'slug']).execute()).map((c) => [c.slug, c.id]),
  );
  let count = 0;
  await db.transaction().execute(async (trx) => {
    for (const [slug, texts] of Object.entries(TEST_EXAMPLES)) {
      for (const text of texts) {
        await addExampleItem(trx, {
          text,
          locale: 'en',
          categoryIds: [ids.get(slug)!],
          labeledBy: options.labeledBy ?? 'factory',
        });
        count += 1;
      }
    }
  });
  return count;
}
