package xchat.simulator.checker;

/** The seven guarantees of the design (shared/DESIGN.md), in its order. */
public enum Guarantee {
  NO_LOSS(1, "no loss"),
  NO_DUPLICATES(2, "no duplicates"),
  ONE_ORDER(3, "one order everywhere"),
  DELETION_WINS(4, "deletion wins"),
  CIRCLES_NEVER_MIX(5, "circles never mix"),
  CONVERGENCE(6, "convergence"),
  NOTHING_READABLE_AT_REST(7, "nothing readable at rest");

  private final int number;
  private final String title;

  Guarantee(int number, String title) {
    this.number = number;
    this.title = title;
  }

  public int number() {
    return number;
  }

  public String title() {
    return title;
  }

  @Override
  public String toString() {
    return number + " (" + title + ")";
  }
}
