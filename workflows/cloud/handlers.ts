import { condition, setHandler } from '@temporalio/workflow';
import { cloudActionInputSchema, type CloudResourceState } from '../../domain/cloud';
import { calendarUpdatedSignal, cloudActionUpdate, cloudResourceStateQuery } from '../messages';
import { acceptedInput, enforce } from '../refusal';
import type { CloudRun } from './run';
import { applyCloudAction } from './steps';
import { validateCloudAction } from './validators';

/**
 * The resource's messages. The update's validator is a pure function of the state (./validators.ts): a
 * refusal never enters history. An accepted step is applied to the state at once — the next update is
 * validated against it, so two steps that exclude each other cannot both be accepted — and the handler
 * answers with the state once the step is recorded (due dates included).
 */
export function registerCloudHandlers(run: CloudRun): void {
  setHandler(cloudResourceStateQuery, () => run.state);

  setHandler(
    cloudActionUpdate,
    async (raw): Promise<CloudResourceState> => {
      const ticket = ++run.lastApplied;
      applyCloudAction(run, acceptedInput(cloudActionInputSchema, raw), new Date());
      run.dirty = true;
      await condition(() => run.recordedThrough >= ticket);
      return run.state;
    },
    { validator: (raw) => enforce(validateCloudAction(run, raw, new Date())) },
  );

  setHandler(calendarUpdatedSignal, () => {
    run.calendarChanged = true;
  });
}
