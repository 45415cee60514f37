"""Patients as Mesa agents: each carries its own attributes and choices (channel, facility, how
far to travel) and walks its journey as a SimPy process through the facilities. An agent exists
from its arrival until its journey ends, then removes itself."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from patientflow.acute_config import Channel

if TYPE_CHECKING:
    from patientflow.model import PatientFlowModel

URGENCY_PRIORITY = {"A1": 0, "A2": 1, "B": 2}
# Each patient draws its uniforms once, on arrival, one per kind of choice: the same patient then
# makes the same draws in every scenario (common random numbers for choices, not only arrivals).
URGENCY, OUTCOME, REFER, COMPLY, FURTHER, CONVEY, ADMIT = range(7)
N_UNIFORMS = 7


class PatientAgent(mesa.Agent):
    """One acute care question: who, where from, which channel, and what happened."""

    def __init__(self, model: PatientFlowModel, channel: str, point: int, time_min: float):
        super().__init__(model)
        self.channel = channel
        self.point = point
        self.u = model.uniforms()
        self.rec: dict = {
            "journey_id": model.next_journey_id(),
            "arrival_min": time_min,
            "point_id": model.point_ids[point],
            "municipality_code": model.point_munis[point],
            "channel": channel,
            "path": channel,
            "_point": point,
        }

    # ------------------------------------------------------------------ choices
    def journey(self):
        m = self.model
        ooh = m.out_of_hours[int(m.env.now // 60) % 168]
        ch = Channel(self.channel)
        if ch is Channel.call_112:
            yield from self._ambulance(None)
        elif ch is Channel.gp_post_call:
            if m.zcc_on and ooh:
                yield from self._zcc_call()
            else:
                yield from self._gp_post_call()
        elif ch is Channel.self_referral:
            if m.zcc_on and ooh and self.u[COMPLY] < m.cfg.scenario.zcc.self_referral_compliance:
                self.rec["path"] = "self_referral_via_zcc"
                yield from self._zcc_call()
            else:
                yield from self._to_seh("self")
        elif ch is Channel.gp_referral:
            yield from self._to_seh("referred")
        else:
            yield from self._to_seh("other")
        self.rec["end_min"] = m.env.now
        m.log_journey(self.rec)
        self.remove()

    def _choose_seh(self, by_ambulance: bool) -> tuple[int, bool]:
        """Nearest SEH open on arrival; by ambulance the nearest that is not on stop (when every
        open SEH is on stop, the nearest open one all the same); a share of walk-in patients goes
        to the second nearest. Returns (SEH index, diverted from the nearest open one)."""
        m, w = self.model, self.model.world
        order = (w.seh_order_amb if by_ambulance else w.seh_order_car)[self.point]
        minutes = (w.seh_amb if by_ambulance else w.seh_car)[self.point]
        now, first, second, taking = m.env.now, -1, -1, -1
        for j in order:
            ed = m.seh[j]
            if not ed.is_open(now + minutes[j]):
                continue
            if first < 0:
                first = j
            elif second < 0:
                second = j
            if by_ambulance and ed.takes_ambulances(now):
                taking = j
                break
            if not by_ambulance and second >= 0:
                break
        if first < 0:
            raise RuntimeError(f"no open emergency department for demand point {self.point}")
        if by_ambulance:
            chosen = taking if taking >= 0 else first
            return chosen, chosen != first
        if second >= 0 and self.u[FURTHER] < m.cfg.facilities.seh.willing_further:
            return second, False
        return first, False

    # ------------------------------------------------------------------ phone triage
    def _triage_call(self, desk, kind: str):
        m = self.model
        level = int(np.searchsorted(m.u_edges, self.u[URGENCY], side="right")) + 1
        self.rec["urgency"] = f"U{min(level, 5)}"
        t0 = m.env.now
        req = desk.request(priority=min(level, 5))
        yield req
        self.rec["call_wait_min"] = m.env.now - t0
        self.rec[f"{kind}_id"] = desk.name
        yield m.env.timeout(m.draw("call"))
        desk.release(req)

    def _gp_post_call(self):
        m = self.model
        post = int(m.world.point_gp[self.point])
        yield from self._triage_call(m.desks[post], "desk")
        tri = m.cfg.facilities.triage
        u = self.u[OUTCOME]
        if u < tri.advice:
            self.rec["outcome"] = "advice"
            return
        home = u >= tri.advice + tri.consult
        yield from self._gp_care(post, home)
        if self.u[REFER] < tri.seh_after_gp:
            yield from self._to_seh("referred")

    def _zcc_call(self):
        m = self.model
        z = int(m.world.point_zcc[self.point])
        yield from self._triage_call(m.zccs[z], "zcc")
        zc = m.cfg.scenario.zcc
        u, post = self.u[OUTCOME], int(m.world.point_gp[self.point])
        edges = np.cumsum([zc.self_care, zc.advice, zc.consult, zc.home_visit, zc.seh])
        k = int(np.searchsorted(edges, u, side="right"))
        if k == 0:
            self.rec["outcome"] = "self_care"
        elif k == 1:
            self.rec["outcome"] = "advice"
        elif k in (2, 3):
            yield from self._gp_care(post, home=k == 3)
        elif k == 4:
            yield from self._to_seh("referred")
        else:
            yield from self._ambulance("A2")

    def _gp_care(self, post: int, home: bool):
        """A consultation at the GP post, or a home visit by the post's doctor and driver."""
        m = self.model
        self.rec["outcome"] = "home_visit" if home else "consult"
        self.rec["gp_post_id"] = m.gp_ids[post]
        drive = float(m.world.gp_car[self.point, post])
        pool = m.visit_cars[post] if home else m.doctors[post]
        if not home:
            self.rec["travel_min"] = drive
            yield m.env.timeout(drive)
        t0 = m.env.now
        req = pool.request(priority=0 if self.rec.get("urgency") in ("U1", "U2") else 1)
        yield req
        self.rec["gp_wait_min"] = m.env.now - t0
        busy = m.draw("home_visit") + 2 * drive if home else m.draw("consult")
        yield m.env.timeout(busy)
        pool.release(req)

    # ------------------------------------------------------------------ ambulance
    def _ambulance(self, urgency: str | None):
        m, w = self.model, self.model.world
        amb = m.cfg.facilities.ambulance
        if urgency is None:
            u = self.u[URGENCY]
            urgency = "A1" if u < amb.share_a1 else "A2" if u < amb.share_a1 + amb.share_a2 else "B"
        self.rec["urgency"] = urgency
        call = m.env.now
        fleet = m.fleets[w.point_vr[self.point]]
        yield m.env.timeout(m.draw("dispatch"))
        post, drive = yield fleet.request(self.point, URGENCY_PRIORITY[urgency])
        self.rec["amb_post_id"] = m.amb_ids[fleet.post_ids[post]]
        self.rec["amb_region"] = fleet.region
        yield m.env.timeout(m.draw("turnout") + drive)
        self.rec["amb_response_min"] = m.env.now - call
        if urgency == "B":
            yield m.env.timeout(m.draw("b_ride"))
            self.rec["outcome"] = "planned_transport"
            m.env.process(self._return(fleet, post, drive))
            return
        yield m.env.timeout(m.draw("on_scene"))
        if self.u[CONVEY] >= amb.conveyed_to_seh:
            self.rec["outcome"] = "not_conveyed"
            m.env.process(self._return(fleet, post, drive))
            return
        seh, diverted = self._choose_seh(by_ambulance=True)
        transport = float(w.seh_amb[self.point, seh])
        self.rec["travel_min"] = transport
        self.rec["diverted"] = diverted
        yield m.env.timeout(transport)
        self.rec["seh_within_45"] = m.env.now - call <= 45.0
        back = float(w.seh_post_amb[seh, fleet.post_ids[post]])
        m.env.process(self._handover_and_return(fleet, post, back))
        yield from self._seh_stay(seh, "ambulance")

    def _return(self, fleet, post: int, minutes: float):
        yield self.model.env.timeout(minutes)
        fleet.release(post)

    def _handover_and_return(self, fleet, post: int, back: float):
        yield self.model.env.timeout(self.model.draw("handover") + back)
        fleet.release(post)

    # ------------------------------------------------------------------ emergency department
    def _to_seh(self, route: str):
        m = self.model
        seh, _ = self._choose_seh(by_ambulance=False)
        drive = float(m.world.seh_car[self.point, seh])
        self.rec["travel_min"] = self.rec.get("travel_min", 0.0) + drive
        yield m.env.timeout(drive)
        yield from self._seh_stay(seh, route)

    def _seh_stay(self, j: int, route: str):
        m = self.model
        ed, sc = m.seh[j], m.cfg.facilities.seh
        arrival = m.env.now
        ed.arrivals += 1
        self.rec.update(seh_site_id=ed.site_id, seh_arrival_min=arrival, seh_route=route)
        req = ed.triage.request()
        yield req
        self.rec["triage_wait_min"] = m.env.now - arrival
        yield m.env.timeout(m.draw("triage"))
        ed.triage.release(req)
        bay = ed.bays.request(priority=0 if route == "ambulance" else 1)
        ed.update_stop()
        t0 = m.env.now
        self.rec["bay_queue_min"] = t0
        yield bay
        self.rec["bay_wait_min"] = m.env.now - t0
        admit = self.u[ADMIT] < getattr(sc, f"admit_{m.admit_key(route)}")
        los = m.draw("los_admitted" if admit else "los_discharged")
        if route == "referred":
            los += sc.referred_extra_min
        yield m.env.timeout(los)
        if admit:
            t1 = m.env.now
            bed = ed.beds.request()
            yield bed
            self.rec["bed_wait_min"] = m.env.now - t1
            m.env.process(self._inpatient(ed, bed))
        ed.bays.release(bay)
        ed.update_stop()
        self.rec["disposition"] = "admitted" if admit else "discharged"
        self.rec["seh_departure_min"] = m.env.now
        self.rec["outcome"] = self.rec.get("outcome") or "seh"

    def _inpatient(self, ed, bed):
        yield self.model.env.timeout(self.model.draw("inpatient_stay"))
        ed.beds.release(bed)
