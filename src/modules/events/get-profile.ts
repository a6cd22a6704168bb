import type { DB } from '../../db/client.js';

export interface ProfileView {
  personId: string;
  userId: string | null;
  /** Anonymous ids (and earlier user ids) stitched to this person. */
  aliases: string[];
  firstSeen: string;
  lastSeen: string;
  locale: string | null;
  device: string | null;
  traits: Record<string, unknown>;
  eventCount: number;
}

/** The profile of a person, looked up by any of their ids (user id, anonymous id, aliased id). */
export async function getProfile(db: DB, id: string): Promise<ProfileView | undefined> {
  const link = await db.selectFrom('event_identities').select('user_id').where('alias_id', '=', id).executeTakeFirst();
  const personId = link?.user_id ?? id;
  const profile = await db
    .selectFrom('event_profiles')
    .selectAll()
    .where('person_id', '=', personId)
    .executeTakeFirst();
  if (!profile) return undefined;
  const aliases = await db
    .selectFrom('event_identities')
    .select('alias_id')
    .where('user_id', '=', personId)
    .orderBy('alias_id')
    .limit(1000)
    .execute();
  return {
    personId,
    userId: profile.user_id,
    aliases: aliases.map((a) => a.alias_id),
    firstSeen: new Date(profile.first_seen).toISOString(),
    lastSeen: new Date(profile.last_seen).toISOString(),
    locale: profile.locale,
    device: profile.device,
    traits: typeof profile.traits === 'string' ? JSON.parse(profile.traits) : profile.traits,
    eventCount: profile.event_count,
  };
}
