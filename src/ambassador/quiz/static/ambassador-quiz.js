/* Self-test quizzes in the course book (rendered by ambassador.quiz.html).
 *
 * Progressive enhancement: without this script every question shows a
 * "Toon het antwoord" disclosure. With it, each question gets a "Controleer"
 * button, the chosen option's feedback and the explanation are shown and
 * announced (aria-live), and the score and "Opnieuw proberen" appear at the end.
 * Everything needed is already in the page: nothing is fetched.
 */
(function () {
  "use strict";

  function text(el, value) { el.textContent = value; return el; }

  function make(tag, cls, content) {
    var el = document.createElement(tag);
    if (cls) { el.className = cls; }
    if (content !== undefined) { text(el, content); }
    return el;
  }

  function chosenIds(form) {
    return Array.prototype.map.call(
      form.querySelectorAll(".amb-quiz__option input:checked"),
      function (input) { return input.value; });
  }

  function sameSet(a, b) {
    if (a.length !== b.length) { return false; }
    return a.every(function (x) { return b.indexOf(x) !== -1; });
  }

  function optionLabel(option) {
    return option.querySelector("label").textContent.trim();
  }

  function Quiz(section) {
    this.section = section;
    this.forms = Array.prototype.slice.call(section.querySelectorAll(".amb-quiz__question"));
    this.score = section.querySelector(".amb-quiz__score");
    this.footer = section.querySelector(".amb-quiz__footer");
    this.retryButton = section.querySelector(".amb-quiz__retry");
    this.results = {};  // question id -> true/false once checked
    section.classList.add("amb-quiz--js");
    var self = this;
    this.forms.forEach(function (form) {
      form.querySelector(".amb-quiz__solution").hidden = true;
      form.querySelector(".amb-quiz__actions").hidden = false;
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        self.check(form);
      });
      // Changing the answer after a "choose first" message clears that message.
      form.addEventListener("change", function () {
        var result = form.querySelector(".amb-quiz__result");
        if (result.classList.contains("amb-quiz__result--empty")) { result.textContent = ""; }
      });
    });
    this.footer.hidden = false;
    this.retryButton.addEventListener("click", function () { self.reset(); });
    this.updateScore();
  }

  Quiz.prototype.check = function (form) {
    var id = form.getAttribute("data-question");
    var button = form.querySelector(".amb-quiz__check");
    var result = form.querySelector(".amb-quiz__result");
    if (id in this.results) { return; }  // already checked: "Opnieuw proberen" starts over
    var chosen = chosenIds(form);
    if (chosen.length === 0) {
      result.className = "amb-quiz__result amb-quiz__result--empty";
      text(result, form.getAttribute("data-type") === "multiple"
        ? "Kies eerst een of meer antwoorden." : "Kies eerst een antwoord.");
      return;
    }
    var correct = form.getAttribute("data-correct").split(" ");
    var right = sameSet(chosen, correct);
    this.results[id] = right;

    result.className = "amb-quiz__result " + (right ? "amb-quiz__result--right" : "amb-quiz__result--wrong");
    result.textContent = "";
    var verdict = make("p", "amb-quiz__verdict");
    verdict.appendChild(make("span", "amb-quiz__icon", right ? "\u2714 " : "\u2718 "));
    verdict.appendChild(make("strong", null, right ? "Goed!" : "Niet goed."));
    if (!right) {
      var names = [];
      form.querySelectorAll(".amb-quiz__option").forEach(function (option) {
        if (correct.indexOf(option.getAttribute("data-option")) !== -1) { names.push(optionLabel(option)); }
      });
      if (names.length === 1) {
        verdict.appendChild(document.createTextNode(
          " Het juiste antwoord is: " + names[0] + (/[.!?]$/.test(names[0]) ? "" : ".")));
      } else {
        verdict.appendChild(document.createTextNode(" De juiste antwoorden zijn:"));
      }
    }
    result.appendChild(verdict);
    if (!right && names.length > 1) {
      var list = make("ul", "amb-quiz__answers");
      names.forEach(function (name) { list.appendChild(make("li", null, name)); });
      result.appendChild(list);
    }

    form.querySelectorAll(".amb-quiz__option").forEach(function (option) {
      var optionId = option.getAttribute("data-option");
      var isCorrect = correct.indexOf(optionId) !== -1;
      var isChosen = chosen.indexOf(optionId) !== -1;
      var mark = option.querySelector(".amb-quiz__mark");
      option.querySelector("input").disabled = true;
      if (isChosen) {
        option.classList.add(isCorrect ? "amb-quiz__option--right" : "amb-quiz__option--wrong");
        text(mark, isCorrect ? "\u2714 jouw keuze, juist" : "\u2718 jouw keuze, niet juist");
        var block = make("div", "amb-quiz__feedback-shown");
        block.appendChild(make("p", "amb-quiz__feedback-label",
          (chosen.length > 1 ? "Over \u201c" + optionLabel(option) + "\u201d:" : "Je koos \u201c" + optionLabel(option) + "\u201d:")));
        block.appendChild(option.querySelector("template.amb-quiz__feedback").content.cloneNode(true));
        result.appendChild(block);
      } else if (isCorrect) {
        option.classList.add("amb-quiz__option--missed");
        text(mark, "\u2714 juist antwoord");
      }
    });

    var explanation = make("div", "amb-quiz__explanation-shown");
    explanation.appendChild(make("p", "amb-quiz__feedback-label", "Uitleg:"));
    explanation.appendChild(form.querySelector(".amb-quiz__solution .amb-quiz__explanation").cloneNode(true));
    result.appendChild(explanation);

    button.setAttribute("aria-disabled", "true");
    text(button, "Gecontroleerd");
    this.updateScore();
  };

  Quiz.prototype.updateScore = function () {
    var total = this.forms.length;
    var ids = Object.keys(this.results);
    var good = ids.filter(function (k) { return this.results[k]; }, this).length;
    var open = total - ids.length;
    if (ids.length === 0) {
      text(this.score, "Je hebt nog geen vragen beantwoord (0 van de " + total + ").");
    } else if (open > 0) {
      text(this.score, "Score tot nu toe: " + good + " van de " + ids.length + " goed. Nog " +
        open + (open === 1 ? " vraag" : " vragen") + " te gaan.");
    } else {
      text(this.score, "Je score: " + good + " van de " + total + " goed." +
        (good === total ? " Alles juist!" : " Lees de uitleg bij de andere vragen nog eens."));
    }
    this.score.classList.toggle("amb-quiz__score--done", open === 0);
  };

  Quiz.prototype.reset = function () {
    this.results = {};
    this.forms.forEach(function (form) {
      form.reset();
      var result = form.querySelector(".amb-quiz__result");
      result.className = "amb-quiz__result";
      result.textContent = "";
      form.querySelectorAll(".amb-quiz__option").forEach(function (option) {
        option.classList.remove("amb-quiz__option--right", "amb-quiz__option--wrong", "amb-quiz__option--missed");
        option.querySelector(".amb-quiz__mark").textContent = "";
        var input = option.querySelector("input");
        input.disabled = false;
        input.checked = false;
      });
      var button = form.querySelector(".amb-quiz__check");
      button.removeAttribute("aria-disabled");
      text(button, "Controleer");
    });
    this.updateScore();
    var first = this.section.querySelector(".amb-quiz__option input");
    if (first) { first.focus(); }
  };

  function init() {
    document.querySelectorAll(".amb-quiz").forEach(function (section) {
      if (!section.classList.contains("amb-quiz--js")) { new Quiz(section); }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
