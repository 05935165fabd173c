import { describe, expect, it } from '@jest/globals';
import { fold } from '../decider.js';
import { POST_OFFICE } from '../shared/account-number.js';
import { Conflict, InvalidValue } from '../shared/index.js';
import { deciderSpec } from '../testing/decider-spec.js';
import { providerReferenceDecider } from './provider-reference.decider.js';
import { ProviderReferenceEventType as T, type ProviderReferenceEvent } from './provider-reference.events.js';
import { providerReferenceIdFor, providerReferenceStreamName } from './provider-reference.stream.js';

const spec = deciderSpec(providerReferenceDecider);
const claim = (disbursementId: string, payingAgent = 'VBA', providerReference = 'FT24096000123') =>
  ({ type: 'ClaimProviderReference', data: { payingAgent, providerReference, disbursementId } }) as const;
const claimed: ProviderReferenceEvent = { type: T.Claimed, data: { payingAgent: 'VBA', providerReference: 'FT24096000123', disbursementId: 'd-1' } };

describe('a provider reference', () => {
  describe('when nobody has presented it', () => {
    it('is claimed by the disbursement it paid', () => spec.given([]).when(claim('d-1')).then([claimed]));

    it('names no disbursement', () => expect(fold(providerReferenceDecider, []).claimedBy).toBeNull());

    it('is refused empty', () => {
      spec.given([]).when(claim('d-1', 'VBA', ' ')).thenRefuses(InvalidValue, 'INVALID_VALUE');
      spec.given([]).when(claim('d-1', '')).thenRefuses(InvalidValue, 'INVALID_VALUE');
    });
  });

  describe('when it already paid a disbursement', () => {
    it('names that disbursement', () => expect(fold(providerReferenceDecider, [claimed]).claimedBy).toBe('d-1'));

    it('is the same disbursement presenting it again: nothing new', () => spec.given([claimed]).when(claim('d-1')).then([]));

    it('refuses another disbursement', () => spec.given([claimed]).when(claim('d-2')).thenRefuses(Conflict, 'PROVIDER_REFERENCE_IN_USE'));

    it('does not tell the other caller whose payment it was', () => {
      let refusal: unknown;
      try {
        providerReferenceDecider.decide(claim('d-2'), fold(providerReferenceDecider, [claimed]));
      } catch (error) {
        refusal = error;
      }
      expect(JSON.stringify((refusal as Conflict).details)).not.toContain('d-1');
    });
  });

  describe('its stream', () => {
    it('is one per paying agent and reference', () => {
      const id = providerReferenceIdFor('VBA', 'FT24096000123');
      expect(id).toBe(providerReferenceIdFor('VBA', 'FT24096000123'));
      expect(id).not.toBe(providerReferenceIdFor('BIDV', 'FT24096000123'));
      expect(id).not.toBe(providerReferenceIdFor(POST_OFFICE, 'FT24096000123'));
      expect(id).not.toBe(providerReferenceIdFor('VBA', 'FT24096000124'));
      expect(providerReferenceStreamName(id)).toBe(`provider-reference-${id}`);
    });
  });
});
