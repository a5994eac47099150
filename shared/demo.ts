// The built-in demo: a target backed by the AWS simulator (sim/), so a newcomer can click Connect
// and see real data with no AWS account. The simulator serves exactly these names.
export const DEMO = {
  targetName: 'Demo (simulated AWS)',
  region: 'us-east-1',
  accountId: '123456789012',
  instanceId: 'i-0d3e4f5a6b7c8d9e0',
  rdsHost: 'porthole-demo.c9akciq32.us-east-1.rds.amazonaws.com',
  rdsPort: 5432,
  dbInstanceIdentifier: 'porthole-demo',
  dbiResourceId: 'db-PORTHOLEDEMO0123456789ABC',
  database: 'demo',
  dbUser: 'iam_reader',
} as const

/**
 * The MySQL twin of the demo, offered when the simulator found a MariaDB/MySQL server (127.0.0.1:3306
 * on our machines). Same instance and user; its own endpoint, port and resource id.
 */
export const DEMO_MYSQL = {
  targetName: 'MySQL demo (simulated AWS)',
  rdsHost: 'porthole-demo-mysql.c9akciq32.us-east-1.rds.amazonaws.com',
  rdsPort: 3306,
  dbInstanceIdentifier: 'porthole-demo-mysql',
  dbiResourceId: 'db-PORTHOLEDEMOMYSQL0123456789',
  database: 'demo',
  dbUser: 'iam_reader',
} as const
