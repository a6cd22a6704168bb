import { z } from 'zod';
import type { DB } from '../../db/client.js';
import type { RegionTheme } from './content.tables.js';
import type { PriceBook } from './resolve-placeholders.js';

export interface Region {
  code: string;
  name: string;
  currency: string;
  countries: string[];
  theme: RegionTheme;
  isDefault: boolean;
}

export interface RegionCatalog {
  regions: Region[];
  defaultRegion: Region;
  prices: PriceBook;
  byCode(code: string): Region | undefined;
  /** The region a two-letter country code belongs to, if any. */
  byCountry(country: string): Region | undefined;
}

const FALLBACK_REGION: Region = {
  code: 'global',
  name: 'International',
  currency: 'USD',
  countries: [],
  theme: {},
  isDefault: true,
};

/** Loads regions and prices into an immutable in-memory catalogue. */
export async function loadRegionCatalog(db: DB): Promise<RegionCatalog> {
  const regionRows = await db.selectFrom('regions').selectAll().orderBy('code').execute();
  const priceRows = await db.selectFrom('prices').selectAll().execute();
  const regions: Region[] = regionRows.map((r) => ({
    code: r.code,
    name: r.name,
    currency: r.currency,
    countries: r.countries,
    theme: r.theme,
    isDefault: r.is_default,
  }));
  const prices: PriceBook = {};
  for (const row of priceRows) {
    prices[row.key] ??= {};
    prices[row.key]![row.currency] = Number(row.amount);
  }
  const byCode = new Map(regions.map((r) => [r.code, r]));
  const byCountry = new Map<string, Region>();
  for (const region of regions) for (const country of region.countries) byCountry.set(country.toUpperCase(), region);
  return {
    regions,
    defaultRegion: regions.find((r) => r.isDefault) ?? regions[0] ?? FALLBACK_REGION,
    prices,
    byCode: (code) => byCode.get(code.toLowerCase()),
    byCountry: (country) => byCountry.get(country.toUpperCase()),
  };
}

const ZColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a #rrggbb colour');

export const ZRegionsFile = z.object({
  defaultRegion: z.string().min(2).max(20),
  regions: z
    .array(
      z.object({
        code: z.string().regex(/^[a-z0-9-]{2,20}$/),
        name: z.string().min(1).max(80),
        currency: z.string().regex(/^[A-Z]{3}$/),
        countries: z.array(z.string().regex(/^[A-Z]{2}$/)).max(300),
        theme: z.object({ brand: ZColor, brandContrast: ZColor, accent: ZColor, surface: ZColor }).partial(),
      }),
    )
    .min(1)
    .max(200),
  prices: z.record(z.string().regex(/^[a-z0-9_]{1,60}$/), z.record(z.string().regex(/^[A-Z]{3}$/), z.number().min(0))),
});
export type RegionsFile = z.infer<typeof ZRegionsFile>;

/** Replaces all regions and prices with the given definition, in one transaction. */
export async function saveRegions(db: DB, input: unknown): Promise<void> {
  const file = ZRegionsFile.parse(input);
  if (!file.regions.some((r) => r.code === file.defaultRegion)) {
    throw new Error(`defaultRegion "${file.defaultRegion}" is not one of the regions`);
  }
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('prices').execute();
    await trx.deleteFrom('regions').execute();
    await trx
      .insertInto('regions')
      .values(
        file.regions.map((r) => ({
          code: r.code,
          name: r.name,
          currency: r.currency,
          countries: r.countries,
          theme: JSON.stringify(r.theme),
          is_default: r.code === file.defaultRegion,
        })),
      )
      .execute();
    const priceRows = Object.entries(file.prices).flatMap(([key, byCurrency]) =>
      Object.entries(byCurrency).map(([currency, amount]) => ({ key, currency, amount })),
    );
    if (priceRows.length > 0) await trx.insertInto('prices').values(priceRows).execute();
  });
}
