import { type KeyboardEvent, type ReactNode, useEffect, useId, useState } from 'react';
import { graphStore } from '../stores/graph-store';

/**
 * Ctrl+Z / Ctrl+Shift+Z (Ctrl+Y) in a field: the browser's own text undo
 * never runs — it could empty the field, and the next blur would commit
 * that as an edit. A field with an uncommitted draft goes back to its saved
 * value; a field without one passes the key to the studio's undo (redo),
 * and then shows the value it brings back. Returns true when it handled the key.
 */
export function fieldUndoKey(event: KeyboardEvent, dirty: boolean, revert: () => void): boolean {
  if (!(event.ctrlKey || event.metaKey)) return false;
  const key = event.key.toLowerCase();
  const isUndo = key === 'z' && !event.shiftKey;
  const isRedo = (key === 'z' && event.shiftKey) || key === 'y';
  if (!isUndo && !isRedo) return false;
  event.preventDefault();
  if (dirty) {
    if (isUndo) revert();
    return true;
  }
  if (isUndo) graphStore.getState().undo();
  else graphStore.getState().redo();
  return true;
}

interface FieldProps {
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  aside?: ReactNode;
  children: (props: { id: string; invalid: boolean; describedBy: string | undefined }) => ReactNode;
}

/** A labelled field with its error under it. */
export function Field({ label, hint, error, aside, children }: FieldProps) {
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <div className="field">
      <label className="label" htmlFor={id}>
        <span>{label}</span>
        {aside ? <small>{aside}</small> : null}
      </label>
      {children({ id, invalid: Boolean(error), describedBy: error ? errorId : undefined })}
      {error ? (
        <div className="field-error" id={errorId} role="alert" data-testid="field-error">
          {error}
        </div>
      ) : hint ? (
        <div className="field-hint">{hint}</div>
      ) : null}
    </div>
  );
}

interface DraftInputProps {
  label: string;
  value: string;
  /** Checks the draft; returns the engine's message when it is not valid. */
  validate: (draft: string) => string | undefined;
  /** Called with a valid draft on Enter or blur. */
  onCommit: (draft: string) => void;
  placeholder?: string;
  hint?: string;
  aside?: ReactNode;
  multiline?: boolean;
  code?: boolean;
  testId?: string;
  inputMode?: 'numeric' | 'text';
  list?: string;
}

/**
 * A text field that checks as you type and commits on Enter or blur — so
 * typing "250" is one undo step, not three. Escape restores the saved value;
 * so does Ctrl+Z while the draft is not committed, and without a draft
 * Ctrl+Z is the studio's undo (`fieldUndoKey`).
 */
export function DraftInput({
  label,
  value,
  validate,
  onCommit,
  placeholder,
  hint,
  aside,
  multiline,
  code,
  testId,
  inputMode,
  list,
}: DraftInputProps) {
  const [draft, setDraft] = useState(value);
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    setDraft(value);
    setError(undefined);
  }, [value]);
  const commit = () => {
    if (draft === value) {
      setError(undefined);
      return;
    }
    const problem = validate(draft);
    setError(problem);
    if (!problem) onCommit(draft);
  };
  const change = (next: string) => {
    setDraft(next);
    setError(validate(next));
  };
  const revert = () => {
    setDraft(value);
    setError(undefined);
  };
  return (
    <Field label={label} hint={hint} error={error} aside={aside}>
      {({ id, invalid, describedBy }) =>
        multiline ? (
          <textarea
            id={id}
            className={`textarea${code ? ' code' : ''}`}
            value={draft}
            placeholder={placeholder}
            aria-invalid={invalid}
            aria-describedby={describedBy}
            data-testid={testId}
            onChange={(event) => change(event.target.value)}
            onBlur={commit}
            onKeyDown={(event) => {
              if (fieldUndoKey(event, draft !== value, revert)) return;
              if (event.key === 'Escape') revert();
              if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) commit();
            }}
          />
        ) : (
          <input
            id={id}
            className={`input${code ? ' code' : ''}`}
            value={draft}
            placeholder={placeholder}
            inputMode={inputMode}
            list={list}
            aria-invalid={invalid}
            aria-describedby={describedBy}
            data-testid={testId}
            onChange={(event) => change(event.target.value)}
            onBlur={commit}
            onKeyDown={(event) => {
              if (fieldUndoKey(event, draft !== value, revert)) return;
              if (event.key === 'Enter') commit();
              if (event.key === 'Escape') revert();
            }}
          />
        )
      }
    </Field>
  );
}

interface SelectProps<T extends string> {
  label: string;
  value: T | '';
  options: readonly { value: T | ''; label: string }[];
  onChange: (value: T | '') => void;
  hint?: string;
  testId?: string;
}

export function SelectField<T extends string>({
  label,
  value,
  options,
  onChange,
  hint,
  testId,
}: SelectProps<T>) {
  return (
    <Field label={label} hint={hint}>
      {({ id }) => (
        <select
          id={id}
          className="select"
          value={value}
          data-testid={testId}
          onChange={(event) => onChange(event.target.value as T | '')}
        >
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
