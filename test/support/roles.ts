/** The two database roles of the test server (src/db/roles.ts): test databases are owned by one, served by the other. */
export const TEST_ROLES = { owner: 'ipl_test_owner', app: 'ipl_test_app' } as const;
