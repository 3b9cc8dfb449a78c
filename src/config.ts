/** Everything the service reads from its environment, validated once at start-up (API.md "Start-up and principals"). */
export interface Config {
  port: number;
  databaseUrl: string | undefined;
  /** The serving role (README "Security"); without it, one is made from DATABASE_URL's role when it may. */
  databaseAppUrl: string | undefined;
  bootstrapToken: string | undefined;
  logLevel: string;
  /** When set, `GET /metrics` needs `Authorization: Bearer <it>`; unset, it answers only on the loopback (README "Metrics"). */
  metricsToken: string | undefined;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`PORT must be a port number, not ${env.PORT}`);
  const bootstrapToken = env.BOOTSTRAP_TOKEN || undefined;
  if (bootstrapToken !== undefined && bootstrapToken.length < 16) {
    throw new Error('BOOTSTRAP_TOKEN must be at least 16 characters');
  }
  return {
    port,
    databaseUrl: env.DATABASE_URL || undefined,
    databaseAppUrl: env.DATABASE_APP_URL || undefined,
    bootstrapToken,
    logLevel: env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    metricsToken: readMetricsToken(env.METRICS_TOKEN),
  };
}

function readMetricsToken(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (value.length < 16) throw new Error('METRICS_TOKEN must be at least 16 characters');
  return value;
}
