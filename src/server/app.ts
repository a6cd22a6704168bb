import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { AppConfig } from '../config/env.js';
import { ChangeFeed } from '../db/change-feed.js';
import { type DatabaseHandle, openReadPool } from '../db/client.js';
import { JobRunner } from '../jobs/index.js';
import {
  accountsRoutes,
  createAccountsAuthenticator,
  installAuditTrail,
  SettingsCache,
} from '../modules/accounts/index.js';
import { adminAppRoutes } from '../modules/admin-app/index.js';
import { ActiveModelCache, classifyRoutes, registerClassifyJobs, themesRoutes } from '../modules/classify/index.js';
import {
  contentRoutes,
  createContentReader,
  createLocaleCatalog,
  type LocaleCatalog,
  loadLocaleCatalog,
  loadRegionCatalog,
  localesRoutes,
  type RegionCatalog,
  ViewCounter,
} from '../modules/content/index.js';
import { collectorRoutes, EventsService, eventsRoutes, registerEventsJobs } from '../modules/events/index.js';
import { feedbackImportRoutes, feedbackRoutes, voteStateRoutes } from '../modules/feedback/index.js';
import {
  contactPages,
  formsPublicRoutes,
  formsRoutes,
  helpdeskRoutes,
  registerFormsJobs,
} from '../modules/forms/index.js';
import { submissionsRoutes } from '../modules/forms/submissions.routes.js';
import {
  alertDetectors,
  insightsAlertsRoutes,
  insightsArticleRoutes,
  insightsHealthRoutes,
  registerAlertJobs,
  registerInsightsJobs,
} from '../modules/insights/index.js';
import { insightsWordsRoutes } from '../modules/insights/insights-words.routes.js';
import { evidencePolicyFrom, SearchService, searchRoutes } from '../modules/search/index.js';
import { siteRoutes, uiLanguages } from '../modules/site/index.js';
import { createBus } from '../shared/bus.js';
import { loadInstanceKeys } from '../shared/instance-keys.js';
import { LIMITS } from '../shared/limits.js';
import { createReaderIdentities } from '../shared/reader-identity.js';
import type { AppContext } from './context.js';
import { installEdgeGuards, type OperatorRoute } from './edge-guards.js';
import { installErrorHandler, toErrorBody } from './error-handler.js';
import { type LogStream, loggerOptions } from './logging.js';
import { installSecurityHeaders } from './security-headers.js';

export interface BuildAppOptions {
  config: AppConfig;
  database: DatabaseHandle;
  /** Pino logging; off in tests. */
  logger?: boolean;
  /** Log to this stream instead of stdout (turns logging on; tests read what the log keeps). */
  logStream?: LogStream;
}

/** How long /api/health waits for the database before answering 503. */
const HEALTH_TIMEOUT_MS = 2_000;

export interface BuiltApp {
  app: FastifyInstance;
  ctx: AppContext;
  /** Every operator route with the permission it requires, filled as routes register. */
  operatorRoutes: OperatorRoute[];
  /** Flushes buffered writes and stops timers; the caller closes the database. */
  shutdown(): Promise<void>;
}

/** Trusts the nearest `hops` proxies (proxy-addr's hop count, which Fastify's types spell as a function). */
function trustHops(hops: number): (address: string, hop: number) => boolean {
  return (_address, hop) => hop < hops;
}

/** Assembles the Fastify application without listening, so tests can use `app.inject()`. */
export async function buildApp(options: BuildAppOptions): Promise<BuiltApp> {
  const { config, database } = options;
  const app = Fastify({
    logger:
      options.logger || options.logStream
        ? loggerOptions({ level: config.logLevel, fullUrls: config.logFullUrls, stream: options.logStream })
        : false,
    bodyLimit: LIMITS.bodyBytes,
    // Off unless configured: otherwise any client picks its own address (and so escapes every budget), host and scheme.
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
    // Fastify's default would turn "/en/" into a separate route; readers type both.
    routerOptions: { ignoreTrailingSlash: true },
    // Undecodable URLs ("%ED%A0%80") get the API's error shape, not Fastify's own.
    frameworkErrors: (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
      const { status, body } = toErrorBody(error);
      void reply.code(status).send(body);
    },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
  const operatorRoutes = installEdgeGuards(app, config);

  const bus = createBus();
  // Other processes' events arrive on this bus; this one's go to them (PostgreSQL; PGlite has one process).
  const changes = new ChangeFeed({
    database,
    bus,
    pollMs: config.changePollMs,
    onError: (error, what) => app.log.error({ err: error }, what),
  });
  const readPool =
    config.databaseReadUrl && database.kind === 'postgres' ? openReadPool(config.databaseReadUrl) : undefined;
  // Rebuilt synchronously from the committed rows the operation publishes, so the next request sees the change.
  let locales: LocaleCatalog = await loadLocaleCatalog(database.db, uiLanguages());
  bus.on('locales.changed', (change) => {
    locales = createLocaleCatalog(change.locales, uiLanguages());
  });
  let catalog: RegionCatalog = await loadRegionCatalog(database.db);
  let regionsReload: Promise<void> = Promise.resolve();
  bus.on('regions.changed', () => {
    regionsReload = loadRegionCatalog(database.db)
      .then((next) => {
        catalog = next;
      })
      .catch((error: unknown) => app.log.error({ err: error }, 'reloading regions failed'));
  });
  // A bulk write announced by another process or the CLI (the demo seed): everything is read again, here too.
  bus.on('data.bulk-written', () => bus.emitLocal('cluster.resync', { reason: 'bulk-write' }));
  // This process may have missed changes: both catalogues are read again from the database.
  bus.on('cluster.resync', () => {
    regionsReload = Promise.all([loadRegionCatalog(database.db), loadLocaleCatalog(database.db, uiLanguages())])
      .then(([nextRegions, nextLocales]) => {
        catalog = nextRegions;
        locales = nextLocales;
      })
      .catch((error: unknown) => app.log.error({ err: error }, 'reloading regions and locales failed'));
  });
  const views = new ViewCounter(database.db);
  views.start();
  const events = new EventsService(
    database.db,
    config.events,
    { error: (message, error) => app.log.error({ err: error }, message) },
    database.kind,
    bus,
    database.url,
  );
  await events.start();
  // Builds every locale's index before the first request; re-indexes on article.published/unpublished.
  const search = await SearchService.start({
    db: database.db,
    bus,
    refreshEveryMs: 5 * 60_000,
    evidence: evidencePolicyFrom(config.search),
    onError: (error, what) => app.log.error({ err: error }, what),
  });
  // Durable background jobs (training, categorisation); every process runs one, claims are exclusive.
  const jobs = new JobRunner(database.db, {
    pollMs: config.jobs.pollMs,
    onError: (error, what) => app.log.error({ err: error }, what),
  });
  const classifier = new ActiveModelCache(database.db, bus);
  // An activation anywhere queued the reclassification: this process's runner may claim it at once.
  bus.on('classify.model.activated', () => jobs.poke());
  registerClassifyJobs(jobs, { db: database.db, models: classifier });
  registerInsightsJobs(jobs, { db: database.db });
  registerEventsJobs(jobs, { db: database.db, retentionMonths: config.events.retentionMonths });
  registerAlertJobs(jobs, {
    db: database.db,
    allowPrivate: config.alerts.webhookAllowPrivate,
    detectors: alertDetectors({
      findArticles: (locale, text) => search.engine.search(locale, text, { limit: 1, prefixLast: false }),
    }),
  });
  const keys = await loadInstanceKeys(database.db);
  const settings = new SettingsCache(database.db, bus);
  const ctx: AppContext = {
    keys,
    readers: createReaderIdentities(keys.readerIdentity),
    config,
    db: database.db,
    readDb: readPool?.db ?? database.db,
    changes,
    // Session cookie, personal API token or ANSWERLOOP_ADMIN_TOKEN.
    auth: createAccountsAuthenticator({
      db: database.db,
      adminToken: config.adminToken,
      publicUrl: config.publicUrl,
      settings,
    }),
    settings,
    bus,
    events,
    regions: () => catalog,
    locales: () => locales,
    regionsReloaded: () => regionsReload,
    views,
    content: createContentReader(database.db, bus, { fallbackChain: (code) => locales.fallbackChain(code) }),
    search,
    jobs,
    classifier,
  };

  installSecurityHeaders(app, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        fontSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    // Fonts and assets are same-origin; the default would block nothing we use but breaks dev tools previews.
    crossOriginEmbedderPolicy: false,
    // Not helmet's no-referrer: under it browsers send `Origin: null` with our own form posts (navigations), which
    // the vote routes refuse as opaque. same-origin still sends nothing to other sites.
    referrerPolicy: { policy: 'same-origin' },
  });
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 64 * 1024 });
  await app.register(compress, { global: true, threshold: 1024, encodings: ['br', 'gzip', 'deflate'] });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Answerloop API', version: '0.1.0' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    transform: jsonSchemaTransform,
  });

  // Public, so it says only whether the service answers: not which database it runs on, nor why it doesn't.
  app.get(
    '/api/health',
    {
      schema: {
        tags: ['platform'],
        response: {
          200: z.object({ status: z.literal('ok') }),
          503: z.object({ status: z.literal('unavailable') }),
        },
      },
    },
    async (request, reply) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          sql`SELECT 1`.execute(database.db),
          new Promise((_resolve, reject) => {
            timer = setTimeout(() => reject(new Error('no answer from the database')), HEALTH_TIMEOUT_MS);
          }),
        ]);
        return { status: 'ok' as const };
      } catch (error) {
        request.log.warn({ err: error }, 'health check: the database did not answer');
        return reply.status(503).send({ status: 'unavailable' as const });
      } finally {
        clearTimeout(timer);
      }
    },
  );
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  installAuditTrail(app, database.db);
  await app.register(accountsRoutes(ctx));
  await app.register(contentRoutes(ctx));
  await app.register(localesRoutes(ctx));
  await app.register(searchRoutes(ctx));
  await app.register(collectorRoutes(events));
  await app.register(eventsRoutes(ctx, events));
  await app.register(feedbackRoutes(ctx));
  await app.register(feedbackImportRoutes(ctx));
  await app.register(voteStateRoutes(ctx));
  await app.register(classifyRoutes(ctx));
  await app.register(themesRoutes(ctx));
  await app.register(insightsHealthRoutes(ctx));
  await app.register(insightsArticleRoutes(ctx));
  await app.register(insightsWordsRoutes(ctx));
  await app.register(insightsAlertsRoutes(ctx));
  await app.register(formsRoutes(ctx));
  await app.register(submissionsRoutes(ctx));
  await app.register(formsPublicRoutes(ctx));
  await app.register(helpdeskRoutes(ctx));
  await app.register(adminAppRoutes);
  await app.register(async (instance) => contactPages(instance, ctx));
  await app.register(async (instance) => siteRoutes(instance, ctx));
  registerFormsJobs(jobs, ctx);
  await changes.start();
  if (config.jobs.enabled) jobs.start();

  return {
    app,
    ctx,
    operatorRoutes,
    async shutdown() {
      await app.close();
      // Publishes what is still pending to the other processes, then stops listening.
      await changes.stop();
      await readPool?.close();
      await jobs.stop();
      // Every event acknowledged so far is written before the database closes.
      await events.stop();
      await views.stop();
      await search.stop();
    },
  };
}
