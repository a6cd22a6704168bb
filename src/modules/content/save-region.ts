import type { DB } from '../../db/client.js';
import { AppError, notFound } from '../../server/errors.js';
import type { Bus } from '../../shared/bus.js';
import { recordAudit } from '../accounts/index.js';
import { type ContentActor, DEFAULT_CONTENT_ACTOR } from './content-actor.js';
import {
  type PriceView,
  type RegionView,
  type SavePriceRequest,
  type SaveRegionRequest,
  ZSavePriceRequest,
  ZSaveRegionRequest,
} from './content-admin.schema.js';

export interface RegionWriteOptions {
  /** regions.changed is emitted after commit: every process reloads its region catalogue. */
  bus?: Bus | undefined;
  actor?: ContentActor | undefined;
}

/** Every region and every price key, fresh from the database (the editing screens must not read a stale cache). */
export async function listRegionsForEditing(db: DB): Promise<{ regions: RegionView[]; prices: PriceView[] }> {
  const regions = await db.selectFrom('regions').selectAll().orderBy('is_default', 'desc').orderBy('code').execute();
  const prices = await db.selectFrom('prices').selectAll().orderBy('key').orderBy('currency').execute();
  const byKey = new Map<string, Record<string, number>>();
  for (const p of prices) {
    const amounts = byKey.get(p.key) ?? {};
    amounts[p.currency] = Number(p.amount);
    byKey.set(p.key, amounts);
  }
  return {
    regions: regions.map(presentRegion),
    prices: [...byKey].map(([key, amounts]) => ({ key, amounts })),
  };
}

function presentRegion(r: {
  code: string;
  name: string;
  currency: string;
  countries: string[];
  theme: RegionView['theme'];
  is_default: boolean;
}): RegionView {
  return {
    code: r.code,
    name: r.name,
    currency: r.currency,
    countries: r.countries,
    theme: r.theme,
    isDefault: r.is_default,
  };
}

/**
 * Creates or updates a region. Making it the default takes that from the previous default; the default region
 * cannot stop being the default (409 REGION_IS_DEFAULT: make another one the default instead), and the first region
 * becomes the default. A country belongs to one region: naming it here moves it from any other.
 */
export async function saveRegion(
  db: DB,
  code: string,
  input: SaveRegionRequest,
  options: RegionWriteOptions = {},
): Promise<{ region: RegionView; created: boolean }> {
  const req = ZSaveRegionRequest.parse(input);
  const actor = options.actor ?? DEFAULT_CONTENT_ACTOR;
  const result = await db.transaction().execute(async (trx) => {
    const all = await trx.selectFrom('regions').selectAll().forUpdate().execute();
    const existing = all.find((r) => r.code === code);
    if (existing?.is_default && req.isDefault === false) {
      throw new AppError('REGION_IS_DEFAULT', `"${code}" is the default region; make another region the default first`);
    }
    const isDefault = req.isDefault ?? existing?.is_default ?? all.length === 0;
    if (isDefault) await trx.updateTable('regions').set({ is_default: false }).where('code', '<>', code).execute();
    for (const other of all) {
      if (other.code === code) continue;
      const kept = other.countries.filter((c) => !req.countries.includes(c));
      if (kept.length !== other.countries.length) {
        await trx.updateTable('regions').set({ countries: kept }).where('code', '=', other.code).execute();
      }
    }
    const values = {
      name: req.name,
      currency: req.currency,
      countries: req.countries,
      theme: JSON.stringify(req.theme),
      is_default: isDefault,
    };
    const row = await trx
      .insertInto('regions')
      .values({ code, ...values })
      .onConflict((oc) => oc.column('code').doUpdateSet(values))
      .returningAll()
      .executeTakeFirstOrThrow();
    const after = presentRegion(row);
    await recordAudit(trx, {
      actor,
      action: 'region.save',
      object: { type: 'region', id: code },
      before: existing ? { ...presentRegion(existing) } : null,
      after: { ...after },
    });
    return { region: after, created: !existing };
  });
  options.bus?.emit('regions.changed', {});
  return result;
}

/** Deletes a region; the default region cannot be deleted (409 REGION_IS_DEFAULT). Prices are per currency and stay. */
export async function deleteRegion(db: DB, code: string, options: RegionWriteOptions = {}): Promise<void> {
  const actor = options.actor ?? DEFAULT_CONTENT_ACTOR;
  await db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('regions')
      .selectAll()
      .where('code', '=', code)
      .forUpdate()
      .executeTakeFirst();
    if (!existing) throw notFound(`region "${code}"`);
    if (existing.is_default) {
      throw new AppError('REGION_IS_DEFAULT', `"${code}" is the default region; make another region the default first`);
    }
    await trx.deleteFrom('regions').where('code', '=', code).execute();
    await recordAudit(trx, {
      actor,
      action: 'region.delete',
      object: { type: 'region', id: code },
      before: { ...presentRegion(existing) },
      after: null,
    });
  });
  options.bus?.emit('regions.changed', {});
}

/**
 * Sets a price key's amount in each currency, replacing the key's previous amounts (a currency left out is
 * removed; no amounts removes the key). `{{price:key}}` then shows the new amount on every page.
 */
export async function savePrice(
  db: DB,
  key: string,
  input: SavePriceRequest,
  options: RegionWriteOptions = {},
): Promise<PriceView> {
  const req = ZSavePriceRequest.parse(input);
  const actor = options.actor ?? DEFAULT_CONTENT_ACTOR;
  await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('prices')
      .selectAll()
      .where('key', '=', key)
      .orderBy('currency')
      .forUpdate()
      .execute();
    await trx.deleteFrom('prices').where('key', '=', key).execute();
    const rows = Object.entries(req.amounts).map(([currency, amount]) => ({ key, currency, amount }));
    if (rows.length > 0) await trx.insertInto('prices').values(rows).execute();
    await recordAudit(trx, {
      actor,
      action: 'price.save',
      object: { type: 'price', id: key },
      before: { amounts: Object.fromEntries(before.map((p) => [p.currency, Number(p.amount)])) },
      after: { amounts: Object.fromEntries(Object.entries(req.amounts).sort(([a], [b]) => a.localeCompare(b))) },
    });
  });
  options.bus?.emit('regions.changed', {});
  return { key, amounts: req.amounts };
}
