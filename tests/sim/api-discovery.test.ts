// The simulator's describe APIs through the SDK's own clients and paginators: RDS instances and
// clusters (query/XML), EC2 instances (EC2 query), SSM instance information (JSON), small pages,
// and AWS's refusals (bad page sizes, foreign tokens, AccessDenied in each service's own shape).
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { DescribeInstancesCommand, EC2Client, paginateDescribeInstances } from '@aws-sdk/client-ec2'
import {
  DescribeDBInstancesCommand,
  paginateDescribeDBClusters,
  paginateDescribeDBInstances,
  RDSClient,
} from '@aws-sdk/client-rds'
import { paginateDescribeInstanceInformation, SSMClient } from '@aws-sdk/client-ssm'
import { DEMO } from '../../shared/demo'
import { SIM_VPCS } from '../../sim/api/inventory'
import { type Simulator, startSimulator } from '../../sim/index'
import { noUpstream } from '../fixtures/no-upstream'

let sim: Simulator
let rds: RDSClient
let ec2: EC2Client
let ssm: SSMClient

before(async () => {
  sim = await startSimulator({ upstream: noUpstream })
  const cfg = { region: sim.region, endpoint: sim.endpoint, credentials: sim.credentials, maxAttempts: 1 }
  rds = new RDSClient(cfg)
  ec2 = new EC2Client(cfg)
  ssm = new SSMClient(cfg)
})
after(async () => {
  for (const c of [rds, ec2, ssm]) c.destroy()
  await sim.close()
})

async function all<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const p of pages) out.push(p)
  return out
}

test('DescribeDBInstances pages through every instance with the SDK paginator', async () => {
  const pages = await all(paginateDescribeDBInstances({ client: rds }, { MaxRecords: 20 }))
  assert.ok(pages.length >= 3, `${pages.length} pages`)
  const dbs = pages.flatMap((p) => p.DBInstances ?? [])
  assert.equal(dbs.length, 5)
  const demo = dbs.find((d) => d.DBInstanceIdentifier === DEMO.dbInstanceIdentifier)
  assert.equal(demo?.Endpoint?.Address, DEMO.rdsHost)
  assert.equal(demo?.Endpoint?.Port, 5432)
  assert.equal(demo?.DBSubnetGroup?.VpcId, SIM_VPCS.app)
  assert.equal(demo?.IAMDatabaseAuthenticationEnabled, true)
  assert.equal(
    dbs.find((d) => d.DBInstanceIdentifier === 'orders-mysql')?.IAMDatabaseAuthenticationEnabled,
    false,
  )
  assert.equal(
    dbs.find((d) => d.DBInstanceIdentifier === 'reports-aurora-1')?.DBClusterIdentifier,
    'reports-aurora',
  )
})

test('DescribeDBClusters returns endpoints as strings and members', async () => {
  const clusters = (await all(paginateDescribeDBClusters({ client: rds }, {}))).flatMap(
    (p) => p.DBClusters ?? [],
  )
  const reports = clusters.find((c) => c.DBClusterIdentifier === 'reports-aurora')
  assert.match(reports?.Endpoint ?? '', /^reports-aurora\.cluster-/)
  assert.equal(reports?.IAMDatabaseAuthenticationEnabled, true)
  assert.equal(reports?.DBClusterMembers?.[0]?.DBInstanceIdentifier, 'reports-aurora-1')
  assert.equal(reports?.DBSubnetGroup, 'analytics-db')
})

test('RDS refuses a MaxRecords below 20 and a filter it does not know', async () => {
  await assert.rejects(rds.send(new DescribeDBInstancesCommand({ MaxRecords: 5 })), {
    name: 'InvalidParameterValue',
  })
  await assert.rejects(
    rds.send(new DescribeDBInstancesCommand({ Filters: [{ Name: 'colour', Values: ['x'] }] })),
    {
      name: 'InvalidParameterValue',
    },
  )
  const pg = await rds.send(
    new DescribeDBInstancesCommand({ Filters: [{ Name: 'engine', Values: ['postgres'] }] }),
  )
  assert.deepEqual(
    pg.DBInstances?.map((d) => d.DBInstanceIdentifier),
    [DEMO.dbInstanceIdentifier, 'legacy-pg'],
  )
})

test('DescribeInstances pages with NextToken and carries VPC, subnet and Name tag', async () => {
  const pages = await all(paginateDescribeInstances({ client: ec2 }, { MaxResults: 5 }))
  assert.ok(pages.length >= 3)
  const instances = pages.flatMap((p) => p.Reservations ?? []).flatMap((r) => r.Instances ?? [])
  assert.equal(instances.length, 6)
  const demo = instances.find((i) => i.InstanceId === DEMO.instanceId)
  assert.equal(demo?.VpcId, SIM_VPCS.app)
  assert.equal(demo?.Tags?.find((t) => t.Key === 'Name')?.Value, 'app-jump-1')
  assert.equal(demo?.State?.Name, 'running')
  assert.equal(instances.find((i) => i.InstanceId === 'i-0c3300000000000d1')?.Platform, 'windows')
  const byVpc = await ec2.send(
    new DescribeInstancesCommand({ Filters: [{ Name: 'vpc-id', Values: [SIM_VPCS.legacy] }] }),
  )
  assert.equal(byVpc.Reservations?.length, 2)
})

test('EC2 refuses MaxResults with InstanceIds and unknown ids, in its own error envelope', async () => {
  await assert.rejects(
    ec2.send(new DescribeInstancesCommand({ MaxResults: 5, InstanceIds: [DEMO.instanceId] })),
    {
      name: 'InvalidParameterCombination',
    },
  )
  await assert.rejects(ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-0123456789abcdef9'] })), {
    name: 'InvalidInstanceID.NotFound',
  })
})

test('DescribeInstanceInformation pages, filters by ping status, and refuses a foreign token', async () => {
  const pages = await all(paginateDescribeInstanceInformation({ client: ssm }, { MaxResults: 5 }))
  const rows = pages.flatMap((p) => p.InstanceInformationList ?? [])
  assert.equal(rows.length, 5, 'managed instances only')
  assert.ok(pages.length >= 3)
  const old = rows.find((r) => r.InstanceId === 'i-0b2200000000000c1')
  assert.equal(old?.AgentVersion, '3.0.1124.0')
  assert.equal(rows.find((r) => r.InstanceId === 'i-0a1100000000000b1')?.PingStatus, 'ConnectionLost')
  assert.equal(rows.find((r) => r.InstanceId === 'i-0c3300000000000d1')?.PlatformType, 'Windows')
  const online = await all(
    paginateDescribeInstanceInformation(
      { client: ssm },
      { Filters: [{ Key: 'PingStatus', Values: ['Online'] }] },
    ),
  )
  assert.equal(online.flatMap((p) => p.InstanceInformationList ?? []).length, 4)
  const { DescribeInstanceInformationCommand } = await import('@aws-sdk/client-ssm')
  await assert.rejects(ssm.send(new DescribeInstanceInformationCommand({ NextToken: 'bm9wZQ' })), {
    name: 'InvalidNextToken',
  })
  await assert.rejects(ssm.send(new DescribeInstanceInformationCommand({ MaxResults: 51 })), {
    name: 'ValidationException',
  })
})

test('AccessDenied comes back in each service shape, naming the action', async () => {
  const arn = sim.iam.principals()[0]?.arn ?? ''
  assert.ok(arn)
  for (const a of ['rds:DescribeDBInstances', 'ec2:DescribeInstances', 'ssm:DescribeInstanceInformation'])
    sim.iam.deny(arn, a)
  try {
    await assert.rejects(rds.send(new DescribeDBInstancesCommand({})), (e: Error) => {
      assert.equal(e.name, 'AccessDenied')
      assert.match(e.message, /not authorized to perform: rds:DescribeDBInstances/)
      return true
    })
    await assert.rejects(ec2.send(new DescribeInstancesCommand({})), (e: Error) => {
      assert.equal(e.name, 'UnauthorizedOperation')
      assert.match(e.message, /ec2:DescribeInstances/)
      return true
    })
    const { DescribeInstanceInformationCommand } = await import('@aws-sdk/client-ssm')
    await assert.rejects(ssm.send(new DescribeInstanceInformationCommand({})), {
      name: 'AccessDeniedException',
    })
  } finally {
    for (const a of ['rds:DescribeDBInstances', 'ec2:DescribeInstances', 'ssm:DescribeInstanceInformation'])
      sim.iam.allow(arn, a)
  }
})
