"""Patients as Mesa agents: each carries its own attributes and choices (channel, facility, how
far to travel) and walks its journey as a SimPy process through the facilities.

An agent is a patient slot: when a journey ends the model hands the same Mesa agent the next
arriving patient (`begin`), instead of deregistering it and registering a new one, which would
cost more than the journey's own Python work. A slot holds at most one patient at a time;
`rec is None` marks a free slot. The clock is read as `env._now`: SimPy's `now` is a property,
and a journey reads the clock eight times: as `_now`, 4.4 % fewer instructions (callgrind)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Generator, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

import mesa
import simpy

from patientflow.acute.facilities import AmbulanceFleet, StaffedResource
from patientflow.acute.journey import (
    B_RIDE,
    CALL,
    CONSULT,
    DISPATCH,
    HANDOVER,
    HOME_VISIT,
    INPATIENT_STAY,
    LOS_ADMITTED,
    LOS_DISCHARGED,
    NURSE_CONSULT,
    ON_SCENE,
    TRIAGE,
    TURNOUT,
    U_ADMIT,
    U_COMPLY,
    U_CONVEY,
    U_FURTHER,
    U_OUTCOME,
    U_REFER,
    U_URGENCY,
    JourneyContext,
)
from patientflow.acute.lean_process import Stepper, Wake
from patientflow.acute.logs import (
    AMB_POST_ID,
    AMB_REGION,
    AMB_RESPONSE_MIN,
    AMB_WAIT_MIN,
    ARRIVAL_MIN,
    BAY_QUEUE_MIN,
    BAY_WAIT_MIN,
    BED_WAIT_MIN,
    CALL_WAIT_MIN,
    CHANNEL,
    DESK_ID,
    DISPATCH_WAIT_MIN,
    DISPATCH_ZCC_ID,
    DISPOSITION,
    DIVERTED,
    GP_POST_ID,
    GP_WAIT_MIN,
    JOURNEY_ID,
    MUNICIPALITY_CODE,
    OUTCOME,
    PATH,
    POINT_ID,
    SEH_ARRIVAL_MIN,
    SEH_DEPARTURE_MIN,
    SEH_ROUTE,
    SEH_SITE_ID,
    SEH_WITHIN_NORM,
    TRAVEL_MIN,
    TRIAGE_WAIT_MIN,
    URGENCY,
    ZCC_CONSULT_ID,
    ZCC_CONSULT_WAIT_MIN,
    ZCC_ID,
)

if TYPE_CHECKING:
    from patientflow.acute.model import PatientFlowModel

URGENCY_PRIORITY = {"A1": 0, "A2": 1, "B": 2}
URGENCY_LABELS = ("U1", "U2", "U3", "U4", "U5")
# A step of a journey, as a SimPy process: it yields the events it waits for (the value sent
# back is the event's, e.g. the ambulance post and drive time when a vehicle comes free).
Steps = Generator[simpy.Event, Any, None]


class PatientAgent(mesa.Agent):
    """One acute care question at a time: who, where from, which channel, and what happened."""

    def __init__(self, model: PatientFlowModel) -> None:
        super().__init__(model)
        self.ctx: JourneyContext = model.ctx
        self.wake = Wake(model.env)
        self.stepper = Stepper(then=partial(model.ctx.end_journey, self))
        self.rec: list | None = None
        self.channel = ""
        self.point = -1
        self.own: Sequence[float] = ()

    def begin(
        self, channel: str, point: int, time_min: float, journey_id: int, own: Sequence[float]
    ) -> None:
        """Take the next patient: its channel, demand point, arrival time and its own draws
        (choice uniforms, then service times)."""
        m = self.ctx
        self.channel, self.point, self.own = channel, point, own
        self.rec = rec = m.new_row()
        rec[JOURNEY_ID] = journey_id
        rec[ARRIVAL_MIN] = time_min
        rec[POINT_ID] = m.point_ids[point]
        rec[MUNICIPALITY_CODE] = m.point_munis[point]
        rec[CHANNEL] = rec[PATH] = channel

    # ------------------------------------------------------------------ choices
    def journey(self) -> Steps:
        """The patient's journey from its channel to its outcome, as the steps its slot's
        stepper runs (which ends the journey after the last). The channel picks the first
        stage to run, not a journey that runs it one generator level down: each level costs
        every wait below it (benchmarks/results/generator_levels.md)."""
        m, rec = self.ctx, self.rec
        assert rec is not None, "a free agent slot has no journey"
        ch = self.channel
        if ch == "gp_post_call":
            return self._gp_post_call()
        if ch == "call_112":
            return self._ambulance(None)
        if ch == "self_referral":
            if (
                m.p.zcc_full
                and m.out_of_hours[int(m.env._now // 60) % 168]
                and self.own[U_COMPLY] < m.p.zcc_compliance
            ):
                rec[PATH] = "self_referral_via_zcc"
                return self._zcc_self_referral()
            return self._seh_stay("self")
        if ch == "gp_referral":
            return self._seh_stay("referred")
        if ch == "other_referral":
            return self._seh_stay("other")
        raise ValueError(f"no journey for channel {ch!r}")

    def _gp_post_call(self) -> Steps:
        """A call to the GP post (or in its hours the ZCC): triage, then advice, care at the
        post or at home, and for a share a referral to the SEH."""
        m, rec = self.ctx, self.rec
        assert rec is not None
        # In the ZCC's hours a call may need a cross-domain consultation; with a full ZCC
        # its triagists, not the GP post's desk, answer the call.
        ooh = m.p.zcc_on and m.out_of_hours[int(m.env._now // 60) % 168]
        post = m.point_gp[self.point]
        if ooh and m.p.zcc_full:
            yield from self._triage_call(m.zccs[m.point_zcc[self.point]], ZCC_ID)
        else:
            yield from self._triage_call(m.desks[post], DESK_ID)
        if ooh:
            yield from self._cross_domain(self.own[U_COMPLY])
        # Then advice, or a consultation or home visit, then the GP's SEH referral share.
        u = self.own[U_OUTCOME]
        if u < m.p.advice:
            rec[OUTCOME] = "advice"
        else:
            home = u >= m.p.advice_or_consult
            yield from self._gp_care(post, home)
            if self.own[U_REFER] < m.p.seh_after_gp:
                # From a consultation the patient drives on from the post, from a home visit
                # from home.
                yield from self._seh_stay("referred", None, None if home else post)

    def _choose_seh(
        self, by_ambulance: bool, order: Sequence[int], minutes: Sequence[float]
    ) -> tuple[int, bool]:
        """Nearest SEH open on arrival; a share of walk-in patients goes to the second nearest.
        By ambulance the intended SEH is the nearest open one, or for a share
        (`conveyed_beyond_nearest`) the second nearest; when it is on stop the next open one
        that takes ambulances (when every one is on stop, the intended one all the same).
        `order`: the SEHs nearest first from where the patient sets off; `minutes`: the drive
        to each SEH as the patient will make it (an ambulance without signals at car speeds),
        so that the SEH is open when the patient arrives.
        Returns (SEH index, diverted from the intended one by a stop)."""
        m = self.ctx
        now, first, second, taking = m.env._now, -1, -1, -1
        skip = by_ambulance and self.own[U_FURTHER] < m.p.conveyed_beyond_nearest
        seh = m.seh
        for j in order:
            ed = seh[j]
            if not (ed.always_open or ed.is_open(now + minutes[j])):
                continue
            if first < 0:
                first = j
                if skip:
                    continue
            elif second < 0:
                second = j
            if by_ambulance and ed.takes_ambulances(now + minutes[j]):
                taking = j
                break
            if not by_ambulance and second >= 0:
                break
        if first < 0:  # unreachable: build_network refuses a network without a 24/7 SEH
            raise AssertionError(f"no open emergency department for demand point {self.point}")
        if by_ambulance:
            intended = second if skip and second >= 0 else first
            chosen = taking if taking >= 0 else intended
            return int(chosen), chosen != intended
        if second >= 0 and self.own[U_FURTHER] < m.p.willing_further:
            return int(second), False
        return int(first), False

    # ------------------------------------------------------------------ phone triage
    def _triage_call(self, desk: StaffedResource, kind: int) -> Steps:
        m, rec = self.ctx, self.rec
        assert rec is not None
        env = m.env
        level = min(bisect_right(m.p.urgency_edges, self.own[U_URGENCY]), 4)
        rec[URGENCY] = URGENCY_LABELS[level]
        t0 = env._now
        rec[kind] = desk.name
        wait = desk.acquire(level + 1)
        if wait is not None:
            yield wait
        rec[CALL_WAIT_MIN] = env._now - t0
        yield self.wake.after(self.own[CALL])
        desk.release()

    def _zcc_self_referral(self) -> Steps:
        """A would-be self-referral that calls the ZCC: it still goes to the SEH (the same
        route and admission decision as without the ZCC) unless the ZCC redirects it, a share
        `redirect_share`; a redirected patient is helped by self-care advice (a share
        `redirect_self_care`) or a consultation at the GP post, and does not go to the SEH."""
        m, rec = self.ctx, self.rec
        assert rec is not None
        yield from self._triage_call(m.zccs[m.point_zcc[self.point]], ZCC_ID)
        # Given compliance (u < compliance), u / compliance is again uniform: the patient's own
        # draw for the cross-domain consultation.
        yield from self._cross_domain(self.own[U_COMPLY] / m.p.zcc_compliance)
        if self.own[U_REFER] >= m.p.zcc_redirect:
            yield from self._seh_stay("self")
            return
        rec[PATH] = "self_referral_redirected_by_zcc"
        if self.own[U_OUTCOME] < m.p.zcc_redirect_self_care:
            rec[OUTCOME] = "self_care"
            return
        yield from self._gp_care(m.point_gp[self.point], home=False)

    def _cross_domain(self, u: float) -> Steps:
        """A call that needs a cross-domain consultation (`u` below the share) waits for the
        nurse of its ZCC and consults; a ZCC that staffs no nurse in any hour has none."""
        m = self.ctx
        if u >= m.p.zcc_cross_domain:
            return
        zcc = m.point_zcc[self.point]
        nurse = m.zcc_nurses[zcc]
        if not nurse.size or max(nurse.schedule) == 0:
            return
        rec, env = self.rec, m.env
        assert rec is not None
        rec[ZCC_CONSULT_ID] = nurse.name
        t0 = env._now
        wait = nurse.acquire(0 if rec[URGENCY] in ("U1", "U2") else 1)
        if wait is not None:
            yield wait
        rec[ZCC_CONSULT_WAIT_MIN] = env._now - t0
        yield self.wake.after(self.own[NURSE_CONSULT])
        nurse.release()

    def _gp_care(self, post: int, home: bool) -> Steps:
        """A consultation at the GP post, or a home visit by the post's doctor and driver."""
        m, rec = self.ctx, self.rec
        assert rec is not None
        env = m.env
        rec[OUTCOME] = "home_visit" if home else "consult"
        rec[GP_POST_ID] = m.gp_ids[post]
        drive = m.gp_car[self.point][post]
        pool = m.visit_cars[post] if home else m.doctors[post]
        if not home:
            rec[TRAVEL_MIN] = drive
            yield self.wake.after(drive)
        t0 = env._now
        wait = pool.acquire(0 if rec[URGENCY] in ("U1", "U2") else 1)
        if wait is not None:
            yield wait
        rec[GP_WAIT_MIN] = env._now - t0
        yield self.wake.after(self.own[HOME_VISIT] + 2 * drive if home else self.own[CONSULT])
        pool.release()

    # ------------------------------------------------------------------ ambulance
    def _ambulance(self, urgency: str | None) -> Steps:
        m, rec, p = self.ctx, self.rec, self.ctx.p
        assert rec is not None
        env = m.env
        if urgency is None:
            u = self.own[U_URGENCY]
            urgency = "A1" if u < p.share_a1 else "A2" if u < p.share_a1_a2 else "B"
        rec[URGENCY] = urgency
        call = env._now
        fleet = m.fleets[m.point_vr[self.point]]
        desk = m.zcc_dispatchers[m.point_zcc[self.point]] if m.p.zcc_on else None
        if desk is not None and desk.capacity > 0:
            rec[DISPATCH_ZCC_ID] = desk.name
            wait = desk.acquire(URGENCY_PRIORITY[urgency])
            served = True
            if wait is not None:
                # False: the ZCC's dispatchers went off with the call still queued; the
                # regional dispatch centre handles it (dispatch_wait_min: its wait at the ZCC).
                served = (yield wait) is not False
            rec[DISPATCH_WAIT_MIN] = env._now - call
            yield self.wake.after(self.own[DISPATCH])
            if served:
                desk.release()
        else:
            yield self.wake.after(self.own[DISPATCH])
        # Without lights and sirens (car speeds) there, at the scene, to the SEH and back:
        # planned transports (B) always, A2 unless `a2_with_signals`.
        quiet = urgency == "B" or (urgency == "A2" and not p.a2_with_signals)
        if p.mutual_aid_min > 0 and urgency != "B" and not fleet.can_send_now():
            fleet = self._helping_fleet(fleet, quiet)
        sent = fleet.send(self.point, URGENCY_PRIORITY[urgency])
        if not isinstance(sent, tuple):  # no vehicle free: wait for the one that comes free
            asked = env._now
            sent = yield sent
            rec[AMB_WAIT_MIN] = env._now - asked
        else:
            rec[AMB_WAIT_MIN] = 0.0
        post, drive = sent
        if quiet:
            drive = float(m.amb_car[fleet.post_ids[post], self.point])
        rec[AMB_POST_ID] = m.amb_ids[fleet.post_ids[post]]
        rec[AMB_REGION] = fleet.region
        yield self.wake.after(self.own[TURNOUT] + drive)
        rec[AMB_RESPONSE_MIN] = env._now - call
        if urgency == "B":
            yield self.wake.after(self.own[B_RIDE])
            rec[OUTCOME] = "planned_transport"
            m.later(drive, fleet.release, post)
            return
        yield self.wake.after(self.own[ON_SCENE])
        if self.own[U_CONVEY] >= p.conveyed_to_seh:
            rec[OUTCOME] = "not_conveyed"
            m.later(drive, fleet.release, post)
            return
        minutes = m.seh_car[self.point] if quiet else m.seh_amb[self.point]
        seh, diverted = self._choose_seh(True, m.seh_order_amb[self.point], minutes)
        transport = float(minutes[seh])
        rec[TRAVEL_MIN] = transport
        rec[DIVERTED] = diverted
        yield self.wake.after(transport)
        rec[SEH_WITHIN_NORM] = env._now - call <= p.norm_min
        back = float((m.seh_post_car if quiet else m.seh_post_amb)[seh, fleet.post_ids[post]])
        m.later(self.own[HANDOVER] + back, fleet.release, post)
        yield from self._seh_stay("ambulance", seh)

    def _helping_fleet(self, own: AmbulanceFleet, quiet: bool) -> AmbulanceFleet:
        """Help across a region border for an urgent call the own region cannot serve now: the
        neighbouring region (in the study area) whose nearest free vehicle is closest, if it
        is within `mutual_aid_min` drive minutes as the ride drives them (`quiet`: without
        signals, at car speeds); otherwise the own region (the call waits)."""
        m = self.ctx
        best, chosen = m.p.mutual_aid_min, own
        for fleet in m.aid_fleets:
            if fleet is own or not fleet.can_send_now():
                continue
            sent = fleet.nearest_free(self.point)
            if sent is None:
                continue
            post, minutes = sent
            if quiet:
                minutes = float(m.amb_car[fleet.post_ids[post], self.point])
            if minutes <= best:
                best, chosen = minutes, fleet
        return chosen

    # ------------------------------------------------------------------ emergency department
    def _seh_stay(self, route: str, j: int | None = None, from_post: int | None = None) -> Steps:
        """A stay at SEH `j`, where an ambulance brought the patient, or without `j` at the
        SEH the patient goes to by car (`_choose_seh`), driving there first: from home, or
        from GP post `from_post` after a consultation there."""
        m, rec, p = self.ctx, self.rec, self.ctx.p
        assert rec is not None
        if j is None:
            if from_post is None:
                order, minutes = m.seh_order_car[self.point], m.seh_car[self.point]
            else:
                order, minutes = m.gp_seh_order_car[from_post], m.gp_seh_car[from_post]
            j, _ = self._choose_seh(False, order, minutes)
            drive = minutes[j]
            rec[TRAVEL_MIN] = (rec[TRAVEL_MIN] or 0.0) + drive
            yield self.wake.after(drive)
        env, ed = m.env, m.seh[j]
        arrival = env._now
        ed.arrivals += 1
        rec[SEH_SITE_ID] = ed.site_id
        rec[SEH_ARRIVAL_MIN] = arrival
        rec[SEH_ROUTE] = route
        rec[DISPOSITION] = "admitted" if self.own[U_ADMIT] < p.admit[route] else "discharged"
        wait = ed.triage.acquire()
        if wait is not None:
            yield wait
        rec[TRIAGE_WAIT_MIN] = env._now - arrival
        yield self.wake.after(self.own[TRIAGE])
        ed.triage.release()
        wait = ed.bays.acquire(0 if route == "ambulance" else 1)
        ed.update_stop()
        t0 = env._now
        rec[BAY_QUEUE_MIN] = t0
        if wait is not None:
            yield wait
        rec[BAY_WAIT_MIN] = env._now - t0
        admit = rec[DISPOSITION] == "admitted"
        los = self.own[LOS_ADMITTED] if admit else self.own[LOS_DISCHARGED]
        if route == "referred":
            los += p.referred_extra_min
        yield self.wake.after(los)
        if admit:
            t1 = env._now
            wait = ed.beds.acquire()
            if wait is not None:
                yield wait
            rec[BED_WAIT_MIN] = env._now - t1
            ed.beds.occupy_for(self.own[INPATIENT_STAY])
        ed.bays.release()
        ed.update_stop()
        rec[SEH_DEPARTURE_MIN] = env._now
        if not rec[OUTCOME]:
            rec[OUTCOME] = "seh"
