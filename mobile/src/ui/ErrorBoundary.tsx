import { Component, type ErrorInfo, type ReactNode } from "react";

interface Props {
  children: ReactNode;
  /** Names the part of the app that failed, so the message says what is affected. */
  area: string;
}

/** Shows a failure in words with a way out, instead of a blank screen. */
export class ErrorBoundary extends Component<Props, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(_error: Error, _info: ErrorInfo): void {
    // Nothing to report to: the phone app has no telemetry. The message below is the report.
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div role="alert" className="panel error-panel">
        <h2>Something went wrong in {this.props.area}</h2>
        <p>{this.state.error.message || "An unexpected error happened."}</p>
        <button type="button" onClick={() => this.setState({ error: null })}>
          Try again
        </button>{" "}
        <button type="button" onClick={() => location.reload()}>
          Reload the app
        </button>
      </div>
    );
  }
}
