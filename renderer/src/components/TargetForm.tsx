// Add / edit target dialog. Validation is the shared schema; messages sit next to their inputs,
// and VALIDATION issues from the engine land in the same places.
import { type ReactNode, useId, useState } from 'react'
import { ENGINES, TARGET_COLORS, type TargetId } from '../../../shared/target-schema'
import { useAppContext } from '../hooks/useAppContext'
import { useStoreSelector } from '../hooks/useStoreSelector'
import { Modal } from './Modal'
import { ProfilePicker } from './ProfilePicker'
import {
  type FieldErrors,
  type FormValues,
  serverErrors,
  toFormValues,
  toInput,
  validate,
} from './target-form-model'

/** The target editor for a new (null) or existing target. */
export function TargetForm({ targetId }: { targetId: TargetId | null }) {
  const ctx = useAppContext()
  const existing = useStoreSelector(
    ctx.targets.store,
    (s) => s.targets.find((t) => t.id === targetId) ?? null,
  )
  const [values, setValues] = useState<FormValues>(() => toFormValues(existing))
  const [errors, setErrors] = useState<FieldErrors>({})
  const [tried, setTried] = useState(false)
  const [saving, setSaving] = useState(false)
  const listId = useId()
  const close = (): void => ctx.ui.openDialog(null)

  const set = (field: keyof FormValues, value: string): void => {
    const next = { ...values, [field]: value }
    // Switching the engine moves an untouched default port along (5432 ↔ 3306).
    if (field === 'engine' && (values.rdsPort === '5432' || values.rdsPort === '3306'))
      next.rdsPort = value === 'mysql' ? '3306' : '5432'
    setValues(next)
    if (tried) setErrors(validate(toInput(next, existing)))
  }

  const submit = async (): Promise<void> => {
    setTried(true)
    const input = toInput(values, existing)
    const local = validate(input)
    setErrors(local)
    if (Object.keys(local).length) return
    setSaving(true)
    const outcome = await ctx.targets.save(input)
    setSaving(false)
    if (outcome.ok) close()
    else setErrors(serverErrors(outcome.error))
  }

  const field = (name: keyof FormValues, label: string, input: ReactNode, help?: string) => (
    <div className={errors[name] ? 'field has-error' : 'field'} data-field={name}>
      <label htmlFor={`${listId}-${name}`}>{label}</label>
      {input}
      <div className="field-msg" data-testid={`field-error-${name}`} aria-live="polite">
        {errors[name] ? `${label} ${errors[name]}` : (help ?? '')}
      </div>
    </div>
  )
  const text = (name: keyof FormValues, placeholder = '', extra: Record<string, string> = {}) => (
    <input
      id={`${listId}-${name}`}
      name={name}
      data-testid={`field-${name}`}
      value={values[name]}
      placeholder={placeholder}
      aria-invalid={Boolean(errors[name])}
      spellCheck={false}
      autoComplete="off"
      onChange={(e) => set(name, e.target.value)}
      {...extra}
    />
  )

  return (
    <Modal
      title={existing ? `Edit ${existing.name}` : 'Add target'}
      onClose={close}
      testId="target-form"
      wide
    >
      <form
        className="form-grid"
        noValidate
        onSubmit={(e) => {
          e.preventDefault()
          void submit()
        }}
      >
        {field('name', 'Name', text('name', 'orders-prod'))}
        {field(
          'engine',
          'Engine',
          <select
            id={`${listId}-engine`}
            data-testid="field-engine"
            value={values.engine}
            onChange={(e) => set('engine', e.target.value)}
          >
            {ENGINES.map((e) => (
              <option key={e}>{e}</option>
            ))}
          </select>,
        )}
        {field(
          'awsProfile',
          'AWS profile',
          text('awsProfile', 'default credential chain', { list: `${listId}-profiles` }),
          'Empty uses the default chain',
        )}
        <ProfilePicker listId={`${listId}-profiles`} profile={values.awsProfile.trim()} />
        {field('region', 'Region', text('region', 'us-east-1'))}
        {field(
          'instanceId',
          'Instance id',
          text('instanceId', 'i-0123456789abcdef0'),
          'SSM managed instance that reaches the database',
        )}
        {field('rdsHost', 'RDS host', text('rdsHost', 'mydb.abc123.us-east-1.rds.amazonaws.com'))}
        {field('rdsPort', 'RDS port', text('rdsPort', '5432', { inputMode: 'numeric' }))}
        {field('database', 'Database', text('database', 'postgres'))}
        {field('dbUser', 'DB user', text('dbUser', 'iam_user'), 'IAM database user (case-sensitive)')}
        {field(
          'localPort',
          'Local port',
          text('localPort', '0', { inputMode: 'numeric' }),
          '0 picks a free port',
        )}
        {field('tags', 'Tags', text('tags', 'prod, eu'), 'Comma-separated')}
        <div className="field" data-field="color">
          <span className="label">Colour</span>
          <div className="swatches" role="radiogroup" aria-label="Colour">
            {TARGET_COLORS.map((c) => (
              <label key={c} className="swatch-choice" title={c}>
                <input
                  type="radio"
                  name="color"
                  value={c}
                  checked={values.color === c}
                  onChange={() => set('color', c)}
                />
                <span className={`swatch color-${c}`} />
                <span className="sr-only">{c}</span>
              </label>
            ))}
          </div>
        </div>
        <details className="advanced span-2">
          <summary>Advanced</summary>
          <div className="form-grid">
            {field('endpointUrl', 'Endpoint URL', text('endpointUrl', 'https://ssm.example.internal'))}
            {field('caFile', 'CA file', text('caFile', '/path/to/ca.pem'))}
            {field(
              'proxyPort',
              'Proxy port',
              text('proxyPort', 'chosen on first start', { inputMode: 'numeric' }),
              'Pinned 127.0.0.1 port of the local auth proxy',
            )}
            {field(
              'proxyCloseTunnelAfterMinutes',
              'Close tunnel after',
              text('proxyCloseTunnelAfterMinutes', 'never', { inputMode: 'numeric' }),
              'Minutes after the last proxy client left; empty = leave it open',
            )}
            {field(
              'sessionPool',
              'SSM sessions',
              text('sessionPool', '1', { inputMode: 'numeric' }),
              '1-8 sessions per tunnel',
            )}
          </div>
        </details>
        <div className="form-error span-2" data-testid="form-error" role={errors.form ? 'alert' : undefined}>
          {errors.form ?? ''}
        </div>
        <footer className="modal-foot span-2">
          <button type="button" className="btn" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" data-testid="save-target" disabled={saving}>
            {saving ? 'Saving…' : 'Save'}
          </button>
        </footer>
      </form>
    </Modal>
  )
}
