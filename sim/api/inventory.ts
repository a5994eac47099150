// What discovery sees in the simulated account: EC2 instances across several VPCs, RDS instances
// and Aurora clusters with IAM auth on and off. Describe-only data; only the demo database and the
// demo instance are wired to a gate and an agent, so the "discover, add, connect" path is real.
import { DEMO } from '../../shared/demo'

export interface SimEc2Instance {
  instanceId: string
  vpcId: string
  subnetId: string
  privateIp: string
  name?: string
  platform: 'Linux' | 'Windows'
  platformName: string
  state: 'running' | 'stopped'
  /** Registered with Systems Manager (appears in DescribeInstanceInformation). */
  managed: boolean
  /** Initial agent version and ping state for managed instances. */
  agentVersion?: string
  online?: boolean
}

export interface SimRdsInstance {
  id: string
  engine: string
  engineVersion: string
  address: string
  port: number
  vpcId: string
  iamAuth: boolean
  resourceId: string
  masterUsername: string
  dbName?: string
  clusterId?: string
}

export interface SimRdsCluster {
  id: string
  engine: string
  engineVersion: string
  endpoint: string
  readerEndpoint: string
  port: number
  iamAuth: boolean
  resourceId: string
  masterUsername: string
  dbName?: string
  members: string[]
  subnetGroup: string
}

export interface SimInventory {
  ec2: SimEc2Instance[]
  rdsInstances: SimRdsInstance[]
  rdsClusters: SimRdsCluster[]
  /** Most items per page whatever the client asks (AWS may return fewer with a marker). */
  pageSize: number
}

export const SIM_VPCS = {
  app: 'vpc-0a11c0ffee0000001',
  analytics: 'vpc-0b22c0ffee0000002',
  legacy: 'vpc-0c33c0ffee0000003',
} as const

const host = (id: string) => `${id}.c9akciq32.${DEMO.region}.rds.amazonaws.com`

/** The default account: the demo pair first (tests and the demo rely on index 0), then the rest. */
export function defaultInventory(): SimInventory {
  return {
    pageSize: 2,
    ec2: [
      {
        instanceId: DEMO.instanceId,
        vpcId: SIM_VPCS.app,
        subnetId: 'subnet-0a11000000000001a',
        privateIp: '10.10.1.20',
        name: 'app-jump-1',
        platform: 'Linux',
        platformName: 'Amazon Linux',
        state: 'running',
        managed: true,
        agentVersion: '3.3.987.0',
        online: true,
      },
      {
        instanceId: 'i-0a1100000000000b1',
        vpcId: SIM_VPCS.app,
        subnetId: 'subnet-0a11000000000001b',
        privateIp: '10.10.2.31',
        name: 'app-worker-2',
        platform: 'Linux',
        platformName: 'Amazon Linux',
        state: 'running',
        managed: true,
        agentVersion: '3.3.987.0',
        online: false,
      },
      {
        instanceId: 'i-0b2200000000000c1',
        vpcId: SIM_VPCS.analytics,
        subnetId: 'subnet-0b22000000000002a',
        privateIp: '10.20.1.11',
        name: 'analytics-bastion-old',
        platform: 'Linux',
        platformName: 'Ubuntu',
        state: 'running',
        managed: true,
        agentVersion: '3.0.1124.0',
        online: true,
      },
      {
        instanceId: 'i-0b2200000000000c2',
        vpcId: SIM_VPCS.analytics,
        subnetId: 'subnet-0b22000000000002b',
        privateIp: '10.20.2.12',
        name: 'analytics-jump',
        platform: 'Linux',
        platformName: 'Amazon Linux',
        state: 'running',
        managed: true,
        agentVersion: '3.2.582.0',
        online: true,
      },
      {
        instanceId: 'i-0c3300000000000d1',
        vpcId: SIM_VPCS.legacy,
        subnetId: 'subnet-0c33000000000003a',
        privateIp: '10.30.1.5',
        name: 'legacy-win',
        platform: 'Windows',
        platformName: 'Microsoft Windows Server 2022 Datacenter',
        state: 'running',
        managed: true,
        agentVersion: '3.1.1446.0',
        online: true,
      },
      {
        instanceId: 'i-0c3300000000000d2',
        vpcId: SIM_VPCS.legacy,
        subnetId: 'subnet-0c33000000000003a',
        privateIp: '10.30.1.6',
        name: 'legacy-no-agent',
        platform: 'Linux',
        platformName: 'Amazon Linux',
        state: 'stopped',
        managed: false,
      },
    ],
    rdsInstances: [
      {
        id: DEMO.dbInstanceIdentifier,
        engine: 'postgres',
        engineVersion: '16.4',
        address: DEMO.rdsHost,
        port: DEMO.rdsPort,
        vpcId: SIM_VPCS.app,
        iamAuth: true,
        resourceId: DEMO.dbiResourceId,
        masterUsername: DEMO.dbUser,
        dbName: DEMO.database,
      },
      {
        id: 'orders-mysql',
        engine: 'mysql',
        engineVersion: '8.0.39',
        address: host('orders-mysql'),
        port: 3306,
        vpcId: SIM_VPCS.analytics,
        iamAuth: false,
        resourceId: 'db-ORDERSMYSQL0000000000000A',
        masterUsername: 'admin',
        dbName: 'orders',
      },
      {
        id: 'reports-aurora-1',
        engine: 'aurora-postgresql',
        engineVersion: '15.8',
        address: host('reports-aurora-1'),
        port: 5432,
        vpcId: SIM_VPCS.analytics,
        iamAuth: true,
        resourceId: 'db-REPORTSAURORA1000000000000',
        masterUsername: 'reports_admin',
        clusterId: 'reports-aurora',
      },
      {
        id: 'billing-aurora-1',
        engine: 'aurora-mysql',
        engineVersion: '8.0.mysql_aurora.3.08.0',
        address: host('billing-aurora-1'),
        port: 3306,
        vpcId: SIM_VPCS.app,
        iamAuth: false,
        resourceId: 'db-BILLINGAURORA1000000000000',
        masterUsername: 'billing_admin',
        clusterId: 'billing-aurora',
      },
      {
        id: 'legacy-pg',
        engine: 'postgres',
        engineVersion: '13.16',
        address: host('legacy-pg'),
        port: 5432,
        vpcId: SIM_VPCS.legacy,
        iamAuth: true,
        resourceId: 'db-LEGACYPG0000000000000000A',
        masterUsername: 'legacy',
        dbName: 'legacy',
      },
    ],
    rdsClusters: [
      {
        id: 'reports-aurora',
        engine: 'aurora-postgresql',
        engineVersion: '15.8',
        endpoint: `reports-aurora.cluster-c9akciq32.${DEMO.region}.rds.amazonaws.com`,
        readerEndpoint: `reports-aurora.cluster-ro-c9akciq32.${DEMO.region}.rds.amazonaws.com`,
        port: 5432,
        iamAuth: true,
        resourceId: 'cluster-REPORTSAURORA0000000000',
        masterUsername: 'reports_admin',
        dbName: 'reports',
        members: ['reports-aurora-1'],
        subnetGroup: 'analytics-db',
      },
      {
        id: 'billing-aurora',
        engine: 'aurora-mysql',
        engineVersion: '8.0.mysql_aurora.3.08.0',
        endpoint: `billing-aurora.cluster-c9akciq32.${DEMO.region}.rds.amazonaws.com`,
        readerEndpoint: `billing-aurora.cluster-ro-c9akciq32.${DEMO.region}.rds.amazonaws.com`,
        port: 3306,
        iamAuth: false,
        resourceId: 'cluster-BILLINGAURORA0000000000',
        masterUsername: 'billing_admin',
        dbName: 'billing',
        members: ['billing-aurora-1'],
        subnetGroup: 'app-db',
      },
    ],
  }
}
