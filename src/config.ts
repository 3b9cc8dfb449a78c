/** Everything the service reads from its environment, validated once at start-up (docs/api.md "Who may do what"). */
export interface Config {
  /** The interface to listen on: 127.0.0.1 unless HOST says otherwise (0.0.0.0 or :: for every interface). */
  host: string;
  port: number;
  databaseUrl: string | undefined;
  /** The serving role (README "Security"); without it, one is made from DATABASE_URL's role when it may. */
  databaseAppUrl: string | undefined;
  bootstrapToken: string | undefined;
  logLevel: string;
  /** When set, `GET /metrics` needs `Authorization: Bearer <it>`; unset, it answers only on the loopback (README "Metrics"). */
  metricsToken: string | undefined;
  /** express's `trust proxy`: unset, the socket's address is the client's (see README "Security"). */
  trustProxy: boolean | number | string;
}

/**
 * A chosen BOOTSTRAP_TOKEN is a staff token: at least as long as the ones we generate are strong (32 random bytes,
 * 43 base64url characters); 32 characters of a password manager's random text come close, a word does not.
 */
export const BOOTSTRAP_TOKEN_CHARACTERS_MIN = 32;

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`PORT must be a port number, not ${env.PORT}`);
  const bootstrapToken = env.BOOTSTRAP_TOKEN || undefined;
  if (bootstrapToken !== undefined && bootstrapToken.length < BOOTSTRAP_TOKEN_CHARACTERS_MIN) {
    throw new Error(`BOOTSTRAP_TOKEN must be at least ${BOOTSTRAP_TOKEN_CHARACTERS_MIN} characters (it is ${bootstrapToken.length})`);
  }
  if (bootstrapToken !== undefined && !/^[\x21-\x7e]+$/.test(bootstrapToken)) {
    throw new Error('BOOTSTRAP_TOKEN must be visible ASCII characters only (it is sent as a bearer token)');
  }
  const host = env.HOST || '127.0.0.1';
  return {
    host,
    port,
    databaseUrl: env.DATABASE_URL || undefined,
    databaseAppUrl: env.DATABASE_APP_URL || undefined,
    bootstrapToken,
    logLevel: env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    metricsToken: readMetricsToken(env.METRICS_TOKEN),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
  };
}

function readMetricsToken(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (value.length < 16) throw new Error('METRICS_TOKEN must be at least 16 characters');
  return value;
}

/** TRUST_PROXY: "true", a number of hops, or a list of addresses/subnets as express reads them; unset: false. */
function parseTrustProxy(value: string | undefined): boolean | number | string {
  if (!value || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}
