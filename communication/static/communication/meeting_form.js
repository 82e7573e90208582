// The meeting form (issue 8): attendees default to the organization's leadership team on the meeting's date.
// The page is rendered with the team of the chosen organization and date first; this script keeps that grouping when
// either changes, ticks the team (the chair aside) on "按班子成员填入" without reloading the page, ticks it by itself
// when nobody is ticked yet, proposes the Party secretary as chair (000 四（三）、四（四）: 一般由党委书记主持), and filters
// the folded "其他人员" by name. Without it the form still works: the button asks the server to fill the team in.
(function () {
  "use strict";

  const form = document.querySelector("form[data-meeting-form]");
  const rostersNode = document.getElementById("team-rosters");
  if (!form || !rostersNode) {
    return;
  }
  const rosters = JSON.parse(rostersNode.textContent);
  const organization = form.querySelector("[name=organization]");
  const date = form.querySelector("[name=date]");
  const chair = form.querySelector("[name=chair]");

  // Filtering a folded list by name, in every picker.
  form.querySelectorAll("[data-picker]").forEach(function (picker) {
    const search = picker.querySelector("[data-search]");
    const others = picker.querySelector("[data-group=others]");
    if (!search || !others) {
      return;
    }
    search.addEventListener("input", function () {
      const needle = search.value.trim().toLowerCase();
      let shown = 0;
      others.querySelectorAll("[data-person]").forEach(function (option) {
        const match = !needle || option.dataset.name.toLowerCase().includes(needle);
        option.hidden = !match;
        shown += match ? 1 : 0;
      });
      others.querySelector("[data-no-match]").hidden = shown > 0;
    });
    // Enter in the search box must not submit the form.
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
      }
    });
  });

  const picker = form.querySelector("[data-picker=attendees]");
  if (!picker || !organization || !date) {
    return;
  }
  const teamGroup = picker.querySelector("[data-group=team]");
  const teamBox = teamGroup.querySelector("[data-options]");
  const othersGroup = picker.querySelector("[data-group=others]");
  const othersBox = othersGroup.querySelector("[data-options]");
  const caption = picker.querySelector("[data-team-caption]");
  const count = othersGroup.querySelector("[data-count]");
  const fill = picker.querySelector("[data-fill-team]");
  const options = Array.from(picker.querySelectorAll("[data-person]"));
  const byId = new Map(options.map(function (option) { return [option.dataset.person, option]; }));
  const byName = options.slice().sort(function (a, b) { return Number(a.dataset.order) - Number(b.dataset.order); });

  function team() {
    // [[person id, kind], …] of the chosen organization's positions on the chosen date, main leaders first.
    const day = date.value;
    const roster = rosters[organization.value];
    if (!day || !roster) {
      return [];
    }
    const seen = new Set();
    const found = [];
    roster.forEach(function (position) {
      const id = String(position[0]);
      if (position[1] <= day && (!position[2] || position[2] >= day) && !seen.has(id)) {
        seen.add(id);
        found.push([id, position[3]]);
      }
    });
    return found;
  }

  function describe(members) {
    const name = organization.value ? organization.options[organization.selectedIndex].text : "";
    if (!organization.value || !date.value) {
      return form.dataset.captionNone;
    }
    const template = members.length ? form.dataset.caption : form.dataset.captionEmpty;
    return template.replace("{organization}", name).replace("{date}", date.value);
  }

  function regroup() {
    const members = team();
    const ids = new Set(members.map(function (member) { return member[0]; }));
    members.forEach(function (member) {
      const option = byId.get(member[0]);
      if (option) {
        option.hidden = false;
        teamBox.appendChild(option);
      }
    });
    byName.forEach(function (option) {
      if (!ids.has(option.dataset.person)) {
        othersBox.appendChild(option);
      }
    });
    teamGroup.hidden = teamBox.children.length === 0;
    caption.textContent = describe(members);
    count.textContent = "（" + othersBox.children.length + "）";
    return members;
  }

  function tickTeam(members) {
    members.forEach(function (member) {
      const option = byId.get(member[0]);
      if (option && (!chair || member[0] !== chair.value)) {
        option.querySelector("input").checked = true;
      }
    });
  }

  function nobodyTicked() {
    return !options.some(function (option) { return option.querySelector("input").checked; });
  }

  // Whether the ticks are still the team filled in for the user (by the server on a new form, or here): then a change
  // of organization, date or chair fills the new team in instead; once the user ticks by hand, their choice stays.
  let filledIn = form.dataset.filledIn === "1";

  function refill(members) {
    options.forEach(function (option) { option.querySelector("input").checked = false; });
    tickTeam(members);
    filledIn = true;
  }

  function changed() {
    const members = regroup();
    if (chair && !chair.value) {
      const secretary = members.find(function (member) { return member[1] === "secretary"; });
      if (secretary) {
        chair.value = secretary[0];
      }
    }
    if (filledIn || nobodyTicked()) {
      refill(members);
    }
  }

  options.forEach(function (option) {
    option.querySelector("input").addEventListener("change", function () { filledIn = false; });
  });
  fill.addEventListener("click", function (event) {
    event.preventDefault();
    tickTeam(regroup());
  });
  organization.addEventListener("change", changed);
  date.addEventListener("change", changed);
  if (chair) {
    chair.addEventListener("change", function () {
      if (filledIn) {
        refill(team());
      }
    });
  }
})();
