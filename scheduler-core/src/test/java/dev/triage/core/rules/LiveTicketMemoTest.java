package dev.triage.core.rules;

import dev.triage.core.Deployment;
import dev.triage.core.GroupSpec;
import dev.triage.core.Ticket;
import dev.triage.core.Usage;
import dev.triage.core.spi.Command;
import dev.triage.core.spi.Result;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An operation id that is also the id of a live ticket is remembered while that ticket lives, however the id is
 * spelled: GroupState skips the lookup for ids with a ':' only while no live ticket's id has one.
 */
class LiveTicketMemoTest {

    private static final GroupSpec SPEC = GroupSpec.of("g", Deployment.unlimited("d").withMaxParallelRequests(1))
            .withLeaseBound(1_000);
    private static final long NOW = 1_800_000_000_000L;

    @Test
    void aReleaseNamedLikeAWaitingTicketIsKeptWhileTheTicketWaits() {
        GroupState state = new GroupState(SPEC, 7);
        GroupRules.execute(state, new Command.Enqueue("holder", 0, "n", NOW + 100_000, 0), NOW);
        // Re-registered from an older epoch, so no enqueue of its own remembered its id.
        String id = "release:q@7";
        Ticket named = new Ticket(id, 0, 1, "n", NOW + 100_000, 0, Set.of());
        GroupRules.execute(state, new Command.Reconcile("n", 0, List.of(named), List.of()), NOW);
        assertThat(state.waitingTicket(id)).isNotNull();

        GroupRules.execute(state, new Command.Release("q@7", Usage.succeeded(0)), NOW);
        GroupRules.execute(state, new Command.RenewNode("n"), NOW + 600);
        GroupRules.execute(state, new Command.RenewNode("n"), NOW + 1_200);
        assertThat(state.rememberedResult(id)).isEqualTo(new Result.Released(false));

        GroupRules.execute(state, new Command.Cancel(id), NOW + 1_300);
        GroupRules.execute(state, new Command.RenewNode("n"), NOW + 1_900);
        GroupRules.execute(state, new Command.RenewNode("n"), NOW + 2_500);
        assertThat(state.rememberedResult(id)).isNull();
    }

    @Test
    void aReleaseIsForgottenAfterALeaseBoundWhenNoTicketHasItsId() {
        GroupState state = new GroupState(SPEC, 7);
        GroupRules.execute(state, new Command.Release("q@7", Usage.succeeded(0)), NOW);
        GroupRules.execute(state, new Command.RenewNode("n"), NOW + 600);
        assertThat(state.rememberedResult("release:q@7")).isEqualTo(new Result.Released(false));
        GroupRules.execute(state, new Command.RenewNode("n"), NOW + 1_200);
        assertThat(state.rememberedResult("release:q@7")).isNull();
    }
}
