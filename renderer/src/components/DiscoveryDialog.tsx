// "Add from AWS": pick a profile and regions, list what it can see, and turn a database into a
// target in two clicks (Add → Save target) with the suggested jump instance and user prefilled.
import { useState } from 'react'
import type { ErrorInfo } from '../../../shared/errors'
import type { DiscoveredDatabase, DiscoveredInstance } from '../../../shared/ipc/aws-models'
import { useAppContext } from '../hooks/useAppContext'
import { useStoreSelector } from '../hooks/useStoreSelector'
import { ErrorNote } from './ErrorNote'
import { Modal } from './Modal'

/** The discovery dialog (rendered when open). */
export function DiscoveryDialog() {
  const ctx = useAppContext()
  const d = useStoreSelector(ctx.account.store, (s) => s.discovery)
  const profiles = useStoreSelector(ctx.account.store, (s) => s.profiles)
  const who = useStoreSelector(ctx.account.store, (s) => s.identity[d.profile])
  const [adding, setAdding] = useState<string | null>(null)
  if (!d.open) return null
  const profile = profiles.find((p) => p.name === d.profile)
  const canSignIn = profile?.kind === 'sso'
  const instances = d.result?.instances ?? []

  return (
    <Modal title="Add from AWS" onClose={() => ctx.account.closeDiscovery()} testId="discovery-dialog" wide>
      <form
        className="discovery-bar"
        onSubmit={(e) => {
          e.preventDefault()
          setAdding(null)
          void ctx.account.discover()
        }}
      >
        <div className="field">
          <label htmlFor="disc-profile">AWS profile</label>
          <select
            id="disc-profile"
            data-testid="discovery-profile"
            value={d.profile}
            onChange={(e) => ctx.account.setDiscoveryInput({ profile: e.target.value })}
          >
            {profiles.map((p) => (
              <option key={p.name} value={p.name}>
                {p.name} · {p.kind}
                {p.region ? ` · ${p.region}` : ''}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="disc-regions">Regions</label>
          <input
            id="disc-regions"
            data-testid="discovery-regions"
            value={d.regions}
            placeholder="us-east-1, eu-west-1"
            spellCheck={false}
            onChange={(e) => ctx.account.setDiscoveryInput({ regions: e.target.value })}
          />
        </div>
        <button
          type="submit"
          className="btn btn-primary"
          data-testid="discovery-run"
          disabled={d.loading || !d.profile}
        >
          {d.loading ? 'Listing…' : 'List databases'}
        </button>
        {canSignIn && profile?.signIn?.state !== 'valid' ? (
          <button
            type="button"
            className="btn"
            data-testid="discovery-sign-in"
            onClick={() => void ctx.account.signIn(d.profile)}
          >
            Sign in
          </button>
        ) : null}
        <div className="span-2 principal ok" data-testid="discovery-principal" hidden={who?.state !== 'ok'}>
          {who?.state === 'ok' ? who.value.arn : ''}
        </div>
      </form>
      <div className="problems">
        {d.error ? <ErrorNote error={d.error} testId="discovery-error" /> : null}
        {d.error?.resolvableByLogin && canSignIn ? (
          <button
            type="button"
            className="btn btn-primary"
            data-testid="discovery-error-sign-in"
            onClick={() => void ctx.account.signIn(d.profile)}
          >
            Sign in to {d.profile}
          </button>
        ) : null}
        {d.result?.problems.map((p) => (
          <ErrorNote key={`${p.region}/${p.operation}`} error={p.error} testId="discovery-problem" />
        ))}
      </div>
      {d.result ? (
        <div className="discovery-list">
          <p className="muted" data-testid="discovery-summary">
            {d.result.databases.length} databases, {instances.filter((i) => i.pingStatus === 'Online').length}{' '}
            online SSM instances in {d.result.regions.join(', ')}.
          </p>
          <table className="discovery-table">
            <thead>
              <tr>
                <th>Database</th>
                <th>Endpoint</th>
                <th>VPC</th>
                <th>IAM auth</th>
                <th>Jump instance</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {d.result.databases.map((db) => (
                <DbRows
                  key={`${db.region}/${db.kind}/${db.id}`}
                  db={db}
                  instances={instances}
                  open={adding === `${db.region}/${db.id}`}
                  onAdd={() => setAdding(`${db.region}/${db.id}`)}
                  onCancel={() => setAdding(null)}
                />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </Modal>
  )
}

function label(i: DiscoveredInstance | undefined, id: string): string {
  return i ? `${i.name ? `${i.name} ` : ''}${id} (agent ${i.agentVersion ?? '?'})` : id
}

function DbRows(props: {
  db: DiscoveredDatabase
  instances: DiscoveredInstance[]
  open: boolean
  onAdd(): void
  onCancel(): void
}) {
  const ctx = useAppContext()
  const { db, instances } = props
  const byId = new Map(instances.map((i) => [i.instanceId, i]))
  const options = db.jumpCandidates.length
    ? db.jumpCandidates
    : instances.filter((i) => i.canForward && i.region === db.region).map((i) => i.instanceId)
  const [choice, setChoice] = useState({
    name: db.id,
    instanceId: options[0] ?? '',
    database: db.dbName ?? (db.targetEngine === 'mysql' ? 'mysql' : 'postgres'),
    dbUser: db.masterUsername ?? '',
  })
  const [error, setError] = useState<ErrorInfo | null>(null)
  const set = (k: keyof typeof choice, v: string) => setChoice({ ...choice, [k]: v })
  return (
    <>
      <tr data-testid="discovered-db" data-db-id={db.id}>
        <td>
          <strong>{db.id}</strong>
          <div className="muted">
            {db.kind === 'cluster' ? 'cluster · ' : ''}
            {db.engine} {db.engineVersion ?? ''}
          </div>
        </td>
        <td className="mono">
          {db.host}:{db.port}
        </td>
        <td className="mono">{db.vpcId ?? '?'}</td>
        <td className={db.iamAuth ? 'iam-on' : 'iam-off'} data-testid="db-iam">
          {db.iamAuth ? 'on' : 'off'}
        </td>
        <td data-testid="db-jump">
          <span className="mono">
            {db.jumpCandidates[0] ? label(byId.get(db.jumpCandidates[0]), db.jumpCandidates[0]) : '—'}
          </span>
          {db.warnings.map((w) => (
            <div key={w} className="db-warning" data-testid="db-warning">
              {w}
            </div>
          ))}
        </td>
        <td>
          <button
            type="button"
            className="btn btn-small"
            data-testid="discovered-add"
            disabled={!db.targetEngine || options.length === 0}
            title={
              !db.targetEngine
                ? `Porthole cannot connect to ${db.engine}`
                : options.length === 0
                  ? 'No jump instance can forward'
                  : 'Add as a target'
            }
            onClick={props.onAdd}
          >
            Add
          </button>
        </td>
      </tr>
      {props.open ? (
        <tr className="add-row" data-testid="discovered-add-row">
          <td colSpan={6}>
            <form
              className="form-grid"
              onSubmit={(e) => {
                e.preventDefault()
                void ctx.account.addTarget(db, choice).then(setError)
              }}
            >
              <div className="field">
                <label htmlFor={`n-${db.id}`}>Target name</label>
                <input
                  id={`n-${db.id}`}
                  data-testid="discovered-name"
                  value={choice.name}
                  onChange={(e) => set('name', e.target.value)}
                />
              </div>
              <div className="field">
                <label htmlFor={`j-${db.id}`}>Jump instance</label>
                <select
                  id={`j-${db.id}`}
                  data-testid="discovered-jump"
                  value={choice.instanceId}
                  onChange={(e) => set('instanceId', e.target.value)}
                >
                  {options.map((id) => (
                    <option key={id} value={id}>
                      {label(byId.get(id), id)}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor={`d-${db.id}`}>Database</label>
                <input
                  id={`d-${db.id}`}
                  data-testid="discovered-database"
                  value={choice.database}
                  onChange={(e) => set('database', e.target.value)}
                />
              </div>
              <div className="field">
                <label htmlFor={`u-${db.id}`}>DB user (IAM)</label>
                <input
                  id={`u-${db.id}`}
                  data-testid="discovered-user"
                  value={choice.dbUser}
                  onChange={(e) => set('dbUser', e.target.value)}
                />
              </div>
              {error ? (
                <div className="span-2">
                  <ErrorNote error={error} testId="discovered-add-error" />
                </div>
              ) : null}
              <footer className="modal-foot span-2">
                <button type="button" className="btn" onClick={props.onCancel}>
                  Cancel
                </button>
                <button type="submit" className="btn btn-primary" data-testid="discovered-save">
                  Save target
                </button>
              </footer>
            </form>
          </td>
        </tr>
      ) : null}
    </>
  )
}
